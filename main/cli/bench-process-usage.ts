// Memory and CPU of processes as /proc and the cgroups see them, for `bench footprint`: RSS per process and
// its private part (pages no other process maps: RSS less the shared pages, mostly the node binary's text),
// CPU as utime+stime+cutime+cstime (children reaped count: the agent's iptables, the serve's `ip`), and a
// sandbox node's processes found by its cgroup (never by name) and grouped by what they are.
import * as fs from 'node:fs';
import { nodePids } from '../nodes/providers/sandbox/cgroup';

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
const TICKS_PER_S = 100;

export interface ProcSample { pid: number; comm: string; argv: string[]; rssKiB: number; privateKiB: number; cpuTicks: number }

/** Private_Clean + Private_Dirty of /proc/PID/smaps_rollup (KiB): memory only this process holds. */
function privateKiBOf(pid: number): number {
  try {
    const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(t)?.[1] ?? 'NaN');
    return kib('Private_Clean') + kib('Private_Dirty');
  } catch {
    return NaN;
  }
}

/** One process now; undefined when it is gone. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: the fields after it start at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // After comm: state(0) ppid … utime(11) stime(12) cutime(13) cstime(14).
    const cpuTicks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0');
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, comm, argv, rssKiB, privateKiB: privateKiBOf(pid), cpuTicks };
  } catch {
    return undefined;
  }
}

/** What a node's process is, for the table: agent, containerd, shim, sshd, supervisor, or pod. */
export function roleOf(p: ProcSample): string {
  const exe = p.argv[0]?.split('/').pop() ?? p.comm;
  if (p.comm === 'node' || exe === 'node') return 'agent';
  if (exe.startsWith('containerd-shim') || p.comm.startsWith('containerd-shim')) return 'shims';
  if (exe === 'containerd' || p.comm === 'containerd') return 'containerd';
  if (exe === 'sshd' || p.comm === 'sshd') return 'sshd';
  if ((exe === 'sh' || exe === 'bash') && p.argv.some((a) => a.endsWith('/supervise') || a.includes('sshd'))) return 'supervisors';
  if (['nsenter', 'unshare', 'sleep', 'flock'].includes(exe)) return 'supervisors';
  return 'pods';
}

export interface Usage { rssMiB: number; privateMiB: number; cpuS: number; count: number }

export type RoleUsage = Map<string, Usage>;

/** A node's processes now, by role (RSS and private memory summed; CPU ticks summed, for a later difference). */
export function sampleNode(cgroup: string): RoleUsage {
  const out: RoleUsage = new Map();
  for (const pid of nodePids(cgroup)) {
    const p = sampleProcess(pid);
    if (!p) continue;
    const r = roleOf(p);
    const u = out.get(r) ?? { rssMiB: 0, privateMiB: 0, cpuS: 0, count: 0 };
    out.set(r, {
      rssMiB: u.rssMiB + p.rssKiB / 1024, privateMiB: u.privateMiB + p.privateKiB / 1024, cpuS: u.cpuS + p.cpuTicks / TICKS_PER_S, count: u.count + 1,
    });
  }
  return out;
}

/** Every CPU second the node cgroup used (cpuacct, v1 or v2), short-lived processes included; NaN without accounting. */
export function cgroupCpuSeconds(cgroup: string): number {
  const v1 = `/sys/fs/cgroup/cpuacct/${cgroup}/cpuacct.usage`;
  if (fs.existsSync(v1)) return Number(fs.readFileSync(v1, 'utf8').trim()) / 1e9;
  for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    const f = `${root}/${cgroup}/cpu.stat`;
    if (!fs.existsSync(f)) continue;
    const usec = /usage_usec (\d+)/.exec(fs.readFileSync(f, 'utf8'))?.[1];
    if (usec) return Number(usec) / 1e6;
  }
  return NaN;
}

export function processCpuSeconds(pid: number): number {
  const p = sampleProcess(pid);
  return p ? p.cpuTicks / TICKS_PER_S : NaN;
}
