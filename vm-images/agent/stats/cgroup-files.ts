// Reads a cgroup's CPU and memory accounting under cgroupfs, v2 (unified) or v1, whichever has it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the cgroup hierarchies are mounted. */
export const CGROUP_ROOT = '/sys/fs/cgroup';

/** Above this a memory limit is "unlimited" (the kernel's rounded LONG_MAX), as cAdvisor takes it. */
export const UNLIMITED_MEMORY = 2 ** 62;

/** A cgroup file's text, undefined when it cannot be read. */
export function readCgroupFile(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

/** A cgroup file's number; undefined for none, `max` or an empty file. */
export function cgroupNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === '' || t === 'max') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** One key of a flat-keyed file (`key value` lines: cpu.stat, memory.stat, memory.events). */
export function statField(text: string | undefined, key: string): number | undefined {
  if (!text) return undefined;
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k === key) return cgroupNumber(v);
  }
  return undefined;
}

/** The cgroup path without its leading slashes (to join under a hierarchy). */
export function relCgroup(cgroup: string): string {
  return cgroup.replace(/^\/+/, '');
}

/** True when the cgroup exists in either hierarchy. */
export function cgroupExists(cgroup: string): boolean {
  return readCgroupFile(join(CGROUP_ROOT, relCgroup(cgroup), 'cgroup.procs')) !== undefined
    || readCgroupFile(join(CGROUP_ROOT, 'unified', relCgroup(cgroup), 'cgroup.procs')) !== undefined
    || readCgroupFile(join(CGROUP_ROOT, 'cpuacct', relCgroup(cgroup), 'cpuacct.usage')) !== undefined;
}

/** Cumulative CPU time of the cgroup in nanoseconds. */
export function cgroupCpuNanos(cgroup: string): number | undefined {
  const v1 = cgroupNumber(readCgroupFile(join(CGROUP_ROOT, 'cpuacct', relCgroup(cgroup), 'cpuacct.usage')));
  if (v1 !== undefined) return v1;
  for (const base of [CGROUP_ROOT, join(CGROUP_ROOT, 'unified')]) {
    const usec = statField(readCgroupFile(join(base, relCgroup(cgroup), 'cpu.stat')), 'usage_usec');
    if (usec !== undefined) return usec * 1000;
  }
  return undefined;
}

export interface CgroupMemory { usageBytes: number; workingSetBytes: number; rssBytes: number; limitBytes?: number }

/** Memory of the cgroup; working set = usage minus inactive file pages, as cAdvisor computes it. */
export function cgroupMemory(cgroup: string): CgroupMemory | undefined {
  const v1dir = join(CGROUP_ROOT, 'memory', relCgroup(cgroup));
  const v1usage = cgroupNumber(readCgroupFile(join(v1dir, 'memory.usage_in_bytes')));
  if (v1usage !== undefined) {
    const stat = readCgroupFile(join(v1dir, 'memory.stat'));
    const inactive = statField(stat, 'total_inactive_file') ?? 0;
    const limit = cgroupNumber(readCgroupFile(join(v1dir, 'memory.limit_in_bytes')));
    return {
      usageBytes: v1usage, workingSetBytes: Math.max(0, v1usage - inactive), rssBytes: statField(stat, 'total_rss') ?? 0,
      ...(limit !== undefined && limit < UNLIMITED_MEMORY ? { limitBytes: limit } : {}),
    };
  }
  for (const base of [CGROUP_ROOT, join(CGROUP_ROOT, 'unified')]) {
    const dir = join(base, relCgroup(cgroup));
    const usage = cgroupNumber(readCgroupFile(join(dir, 'memory.current')));
    if (usage === undefined) continue;
    const stat = readCgroupFile(join(dir, 'memory.stat'));
    const limit = cgroupNumber(readCgroupFile(join(dir, 'memory.max')));
    return {
      usageBytes: usage, workingSetBytes: Math.max(0, usage - (statField(stat, 'inactive_file') ?? 0)), rssBytes: statField(stat, 'anon') ?? 0,
      ...(limit !== undefined ? { limitBytes: limit } : {}),
    };
  }
  return undefined;
}

/** CPU limit of the cgroup in cores (quota/period), undefined when unlimited. */
export function cgroupCpuLimit(cgroup: string): number | undefined {
  const quota = cgroupNumber(readCgroupFile(join(CGROUP_ROOT, 'cpu', relCgroup(cgroup), 'cpu.cfs_quota_us')));
  const period = cgroupNumber(readCgroupFile(join(CGROUP_ROOT, 'cpu', relCgroup(cgroup), 'cpu.cfs_period_us')));
  if (quota !== undefined && period && quota > 0) return quota / period;
  for (const base of [CGROUP_ROOT, join(CGROUP_ROOT, 'unified')]) {
    const max = readCgroupFile(join(base, relCgroup(cgroup), 'cpu.max'));
    if (!max) continue;
    const [q, p] = max.trim().split(/\s+/);
    const qn = cgroupNumber(q), pn = cgroupNumber(p);
    if (qn !== undefined && pn) return qn / pn;
  }
  return undefined;
}
