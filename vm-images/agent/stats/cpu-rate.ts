// CPU usage rates between two samples of a cumulative CPU counter (cgroup cpuacct/cpu.stat, /proc/stat,
// CRI's usage_core_nano_seconds), and the node's own sampler that picks the counter (its cgroup, else /proc).
import { cgroupCpuNanos, cgroupExists } from './cgroup-files';
import { procCpuNanos } from './host-usage';
import type { CpuStats } from '../../../main/protocol/stats-summary';

export interface CpuSample { at: number; nanos: number }

/**
 * Nanocores between two samples: `at` in ms of wall time, `nanos` in ns of CPU time. One busy core
 * is 1e6 ns of CPU per ms of wall = 1e9 nanocores, hence ns/ms × 1e3.
 */
export function cpuRate(prev: CpuSample | undefined, cur: CpuSample): number | undefined {
  if (!prev || cur.at <= prev.at || cur.nanos < prev.nanos) return undefined;
  return Math.round(((cur.nanos - prev.nanos) / (cur.at - prev.at)) * 1e3);
}

/** The node's CPU: from its cgroup when it has one (sandbox nodes), else the whole machine from /proc. */
export class NodeCpuSampler {
  private last?: CpuSample & { source: 'cgroup' | 'proc' };

  constructor(private readonly cgroupParent?: string) {}

  sample(now: number = Date.now()): CpuStats {
    const parent = this.cgroupParent;
    const fromCgroup = parent && cgroupExists(parent) ? cgroupCpuNanos(parent) : undefined;
    const nanos = fromCgroup ?? procCpuNanos();
    const cur = { at: now, nanos, source: fromCgroup !== undefined ? 'cgroup' as const : 'proc' as const };
    // A rate only between two samples of the same counter (the node cgroup may appear after start).
    const nano = this.last?.source === cur.source ? cpuRate(this.last, cur) : undefined;
    this.last = cur;
    return { time: new Date(now).toISOString(), usageCoreNanoSeconds: nanos, ...(nano !== undefined ? { usageNanoCores: nano } : {}) };
  }
}
