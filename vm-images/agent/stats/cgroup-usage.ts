// One cgroup's whole accounting as cAdvisor reads it for the kubelet's /metrics/cadvisor: CPU (with CFS throttling),
// memory (cache, rss, swap, working set, peaks, faults, OOM kills), block I/O per device, processes, and the limits
// set on it. cgroup v1 (a hierarchy per controller) or v2 (unified), whichever holds the cgroup; every number is what
// cAdvisor derives from the same files (v1 CPU user/system from cpuacct.stat's USER_HZ ticks, v2 shares from cpu.weight).
import { join } from 'node:path';
import { CGROUP_ROOT, cgroupNumber, readCgroupFile, relCgroup, statField, UNLIMITED_MEMORY } from './cgroup-files';

export interface IoDevice { device: string; readBytes: number; writeBytes: number; reads: number; writes: number }

export interface CgroupUsage {
  cpu?: { usageNs: number; userNs?: number; systemNs?: number };
  /** CFS bandwidth statistics (periods, throttled periods, throttled time). */
  cfs?: { periods: number; throttledPeriods: number; throttledNs: number };
  /** quotaUs undefined: no quota (cAdvisor's 0). */
  cpuSpec: { periodUs?: number; quotaUs?: number; shares?: number };
  memory?: {
    usage: number; workingSet: number; rss: number; cache: number; mappedFile: number; swap?: number; kernel?: number;
    maxUsage?: number; failcnt?: number; activeFile: number; inactiveFile: number;
    /** Page faults of the cgroup itself and of its whole subtree (the same under v2). */
    pgfault: { container: number; hierarchy: number }; pgmajfault: { container: number; hierarchy: number };
    oomKills?: number;
  };
  /** undefined: unlimited. */
  memorySpec: { limit?: number; swapLimit?: number; reservation?: number };
  io: IoDevice[];
  processes?: number;
  /** Its first process (from the same read). */
  firstPid?: number;
}

const limited = (n: number | undefined): number | undefined => (n !== undefined && n < UNLIMITED_MEMORY ? n : undefined);
/** USER_HZ: cpuacct.stat counts in 1/100 s. */
const TICK_NS = 1e7;

/** "/dev/<name>" of a block device from its major:minor, '' when sysfs does not know it. */
function deviceName(majMin: string): string {
  const name = /^DEVNAME=(.+)$/m.exec(readCgroupFile(`/sys/dev/block/${majMin}/uevent`) ?? '')?.[1];
  return name ? `/dev/${name}` : '';
}

/** The cgroup's processes: how many, and the first (a sandbox's pause, whose network namespace is the pod's). */
function processes(dir: string): Pick<CgroupUsage, 'processes' | 'firstPid'> | undefined {
  const procs = readCgroupFile(join(dir, 'cgroup.procs'));
  if (procs === undefined) return undefined;
  const pids = procs.split('\n').filter((l) => l.trim() !== '').map(Number);
  return { processes: pids.length, ...(pids[0] !== undefined && pids[0] > 0 ? { firstPid: pids[0] } : {}) };
}

/** v1's blkio.throttle files: `8:0 Read 4096` lines. */
function v1Io(dir: string): IoDevice[] {
  const bytes = readCgroupFile(join(dir, 'blkio.throttle.io_service_bytes')) ?? '';
  const ops = readCgroupFile(join(dir, 'blkio.throttle.io_serviced')) ?? '';
  const devices = new Map<string, IoDevice>();
  const add = (text: string, read: keyof IoDevice, write: keyof IoDevice): void => {
    for (const line of text.split('\n')) {
      const [majMin, op, v] = line.trim().split(/\s+/);
      if (!majMin?.includes(':') || (op !== 'Read' && op !== 'Write')) continue;
      const d = devices.get(majMin) ?? { device: deviceName(majMin), readBytes: 0, writeBytes: 0, reads: 0, writes: 0 };
      (d[op === 'Read' ? read : write] as number) = Number(v) || 0;
      devices.set(majMin, d);
    }
  };
  add(bytes, 'readBytes', 'writeBytes');
  add(ops, 'reads', 'writes');
  return [...devices.values()];
}

/** v2's io.stat: `8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…` lines. */
function v2Io(dir: string): IoDevice[] {
  return (readCgroupFile(join(dir, 'io.stat')) ?? '').split('\n').flatMap((line) => {
    const [majMin, ...kv] = line.trim().split(/\s+/);
    if (!majMin?.includes(':')) return [];
    const f = new Map(kv.map((p) => { const [k = '', v = ''] = p.split('='); return [k, Number(v) || 0] as const; }));
    return [{ device: deviceName(majMin), readBytes: f.get('rbytes') ?? 0, writeBytes: f.get('wbytes') ?? 0, reads: f.get('rios') ?? 0, writes: f.get('wios') ?? 0 }];
  });
}

function v1Usage(root: string, rel: string): CgroupUsage | undefined {
  const at = (controller: string, file: string): string | undefined => readCgroupFile(join(root, controller, rel, file));
  const usageNs = cgroupNumber(at('cpuacct', 'cpuacct.usage'));
  const memUsage = cgroupNumber(at('memory', 'memory.usage_in_bytes'));
  if (usageNs === undefined && memUsage === undefined) return undefined;
  const acct = at('cpuacct', 'cpuacct.stat');
  const cpuStat = at('cpu', 'cpu.stat');
  const quota = cgroupNumber(at('cpu', 'cpu.cfs_quota_us'));
  const stat = at('memory', 'memory.stat');
  const s = (k: string): number => statField(stat, k) ?? 0;
  const usage: CgroupUsage = {
    cpuSpec: {
      periodUs: cgroupNumber(at('cpu', 'cpu.cfs_period_us')),
      quotaUs: quota !== undefined && quota > 0 ? quota : undefined,
      shares: cgroupNumber(at('cpu', 'cpu.shares')),
    },
    memorySpec: {
      limit: limited(cgroupNumber(at('memory', 'memory.limit_in_bytes'))),
      swapLimit: limited(cgroupNumber(at('memory', 'memory.memsw.limit_in_bytes'))),
      reservation: limited(cgroupNumber(at('memory', 'memory.soft_limit_in_bytes'))),
    },
    io: v1Io(join(root, 'blkio', rel)),
    ...(processes(join(root, 'pids', rel)) ?? processes(join(root, 'memory', rel))),
  };
  if (usageNs !== undefined) {
    const user = statField(acct, 'user');
    const system = statField(acct, 'system');
    usage.cpu = { usageNs, ...(user !== undefined ? { userNs: user * TICK_NS } : {}), ...(system !== undefined ? { systemNs: system * TICK_NS } : {}) };
  }
  if (cpuStat) usage.cfs = { periods: statField(cpuStat, 'nr_periods') ?? 0, throttledPeriods: statField(cpuStat, 'nr_throttled') ?? 0, throttledNs: statField(cpuStat, 'throttled_time') ?? 0 };
  if (memUsage !== undefined) {
    const hierarchy = (statField(stat, 'hierarchical_memory_limit') !== undefined || statField(stat, 'total_rss') !== undefined);
    const pick = (k: string): number => (hierarchy ? s(`total_${k}`) : s(k));
    usage.memory = {
      usage: memUsage, workingSet: Math.max(0, memUsage - s('total_inactive_file')), rss: pick('rss'), cache: pick('cache'),
      mappedFile: pick('mapped_file'), swap: pick('swap'), kernel: cgroupNumber(at('memory', 'memory.kmem.usage_in_bytes')),
      maxUsage: cgroupNumber(at('memory', 'memory.max_usage_in_bytes')), failcnt: cgroupNumber(at('memory', 'memory.failcnt')),
      activeFile: s('total_active_file'), inactiveFile: s('total_inactive_file'),
      pgfault: { container: s('pgfault'), hierarchy: s('total_pgfault') }, pgmajfault: { container: s('pgmajfault'), hierarchy: s('total_pgmajfault') },
      oomKills: statField(at('memory', 'memory.oom_control'), 'oom_kill'),
    };
  }
  return usage;
}

/** cAdvisor's conversion of a v2 cpu.weight back to v1 shares. */
export function weightToShares(weight: number): number {
  return 2 + Math.floor(((weight - 1) * 262142) / 9999);
}

function v2Usage(dir: string): CgroupUsage | undefined {
  const at = (file: string): string | undefined => readCgroupFile(join(dir, file));
  const cpuStat = at('cpu.stat');
  const memUsage = cgroupNumber(at('memory.current'));
  if (cpuStat === undefined && memUsage === undefined) return undefined;
  const [q, p] = (at('cpu.max') ?? '').trim().split(/\s+/);
  const weight = cgroupNumber(at('cpu.weight'));
  const stat = at('memory.stat');
  const s = (k: string): number => statField(stat, k) ?? 0;
  const events = at('memory.events');
  const usage: CgroupUsage = {
    cpuSpec: { periodUs: cgroupNumber(p), quotaUs: cgroupNumber(q), ...(weight !== undefined ? { shares: weightToShares(weight) } : {}) },
    memorySpec: { limit: cgroupNumber(at('memory.max')), swapLimit: cgroupNumber(at('memory.swap.max')), reservation: cgroupNumber(at('memory.low')) || undefined },
    io: v2Io(dir),
    ...processes(dir),
  };
  const usec = statField(cpuStat, 'usage_usec');
  if (usec !== undefined) {
    usage.cpu = { usageNs: usec * 1000, userNs: (statField(cpuStat, 'user_usec') ?? 0) * 1000, systemNs: (statField(cpuStat, 'system_usec') ?? 0) * 1000 };
    const periods = statField(cpuStat, 'nr_periods');
    if (periods !== undefined) usage.cfs = { periods, throttledPeriods: statField(cpuStat, 'nr_throttled') ?? 0, throttledNs: (statField(cpuStat, 'throttled_usec') ?? 0) * 1000 };
  }
  if (memUsage !== undefined) {
    usage.memory = {
      usage: memUsage, workingSet: Math.max(0, memUsage - s('inactive_file')), rss: s('anon'), cache: s('file'), mappedFile: s('file_mapped'),
      swap: cgroupNumber(at('memory.swap.current')), kernel: statField(stat, 'kernel'), maxUsage: cgroupNumber(at('memory.peak')),
      failcnt: statField(events, 'max'), activeFile: s('active_file'), inactiveFile: s('inactive_file'),
      pgfault: { container: s('pgfault'), hierarchy: s('pgfault') }, pgmajfault: { container: s('pgmajfault'), hierarchy: s('pgmajfault') },
      oomKills: statField(events, 'oom_kill'),
    };
  }
  return usage;
}

/** The cgroup's accounting (its path as in /proc/<pid>/cgroup), undefined when no hierarchy has it. */
export function readCgroupUsage(cgroup: string, root = CGROUP_ROOT): CgroupUsage | undefined {
  const rel = relCgroup(cgroup);
  return v1Usage(root, rel) ?? v2Usage(join(root, rel)) ?? v2Usage(join(root, 'unified', rel));
}
