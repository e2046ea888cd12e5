// GET /stats/summary: the agent's usage report, a subset of the kubelet's stats/v1alpha1 Summary
// (same field names), served by the agent's server and scraped by the control plane (main/nodes/metrics.ts).

export interface CpuStats {
  time: string;
  /** Average over the last sampling window, in nanocores (1e9 = one core). */
  usageNanoCores?: number;
  /** Cumulative CPU time. */
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
}

export interface FsStats {
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
}

export interface ContainerStatsSummary {
  name: string;
  /** When the container was created (RFC 3339), as the kubelet's CRI stats provider reports it. */
  startTime?: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodReference { name: string; namespace: string; uid: string }

export interface PodStatsSummary {
  podRef: PodReference;
  containers: ContainerStatsSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime?: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
  fs?: FsStats;
  rlimit?: { time: string; maxpid: number; curproc: number };
}

export interface StatsSummary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}

/**
 * The agent samples when asked (not on a timer): a summary's rates cover the time since its previous sample, or, when
 * that is older than STATS_MAX_RATE_WINDOW_MS (nobody asked for a while), a fresh baseline STATS_BASELINE_MS before.
 */
export const STATS_MAX_RATE_WINDOW_MS = 60_000;
export const STATS_BASELINE_MS = 1000;

export const STATS_SUMMARY_PATH = '/stats/summary';

// ---- narrowing of a summary received over the wire ----

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const optNum = (v: unknown): boolean => v === undefined || (typeof v === 'number' && Number.isFinite(v));

function isCpu(v: unknown): boolean {
  return v === undefined || (isRec(v) && typeof v.time === 'string' && optNum(v.usageNanoCores) && optNum(v.usageCoreNanoSeconds));
}

function isMemory(v: unknown): boolean {
  return v === undefined || (isRec(v) && typeof v.time === 'string' && optNum(v.availableBytes) && optNum(v.usageBytes)
    && optNum(v.workingSetBytes) && optNum(v.rssBytes));
}

function isContainer(v: unknown): boolean {
  return isRec(v) && typeof v.name === 'string' && (v.startTime === undefined || typeof v.startTime === 'string') && isCpu(v.cpu) && isMemory(v.memory);
}

function isPod(v: unknown): boolean {
  if (!isRec(v) || !isRec(v.podRef)) return false;
  const ref = v.podRef;
  return typeof ref.name === 'string' && typeof ref.namespace === 'string' && typeof ref.uid === 'string'
    && Array.isArray(v.containers) && v.containers.every(isContainer) && isCpu(v.cpu) && isMemory(v.memory);
}

/** True when `v` (e.g. parsed JSON from a node) has the StatsSummary shape. */
export function isStatsSummary(v: unknown): v is StatsSummary {
  if (!isRec(v) || !isRec(v.node) || !Array.isArray(v.pods)) return false;
  const n = v.node;
  return typeof n.nodeName === 'string' && isCpu(n.cpu) && isMemory(n.memory) && v.pods.every(isPod);
}
