// Node capacity and allocatable: CPUs, memory, pods (110), ephemeral storage; bounded by the node's
// cgroup when it has one. Allocatable subtracts the kubelet's default hard eviction thresholds
// (memory.available 100Mi, nodefs.available 10%).
import { statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { cgroupCpuLimit, cgroupMemory } from '../stats/cgroup-files';

export const MAX_PODS = 110;

let cpuCount: number | undefined;

/** The machine's CPUs, counted once: os.cpus() reads /proc/cpuinfo and every CPU's times, costly on every status report. */
function onlineCpus(): number {
  cpuCount ??= cpus().length || 1;
  return cpuCount;
}

export type Resources = Record<'cpu' | 'memory' | 'pods' | 'ephemeral-storage', string> & Record<string, string>;

export interface CapacityNumbers { cpus: number; memoryBytes: number; storageBytes: number }

export function measureCapacity(fsPath: string, cgroupParent?: string): CapacityNumbers {
  let n = onlineCpus();
  let mem = totalmem();
  if (cgroupParent) {
    const limit = cgroupCpuLimit(cgroupParent);
    if (limit !== undefined) n = Math.max(1, Math.min(n, Math.ceil(limit)));
    const m = cgroupMemory(cgroupParent)?.limitBytes;
    if (m !== undefined && m > 0) mem = Math.min(mem, m);
  }
  let storage = 0;
  try { const s = statfsSync(fsPath); storage = s.blocks * s.bsize; } catch { /* unknown */ }
  return { cpus: n, memoryBytes: mem, storageBytes: storage };
}

function ki(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}

export function capacityOf(c: CapacityNumbers): Resources {
  return { cpu: String(c.cpus), memory: ki(c.memoryBytes), pods: String(MAX_PODS), 'ephemeral-storage': ki(c.storageBytes) };
}

export function allocatableOf(c: CapacityNumbers): Resources {
  return {
    cpu: String(c.cpus),
    memory: ki(Math.max(0, c.memoryBytes - 100 * 2 ** 20)),
    pods: String(MAX_PODS),
    'ephemeral-storage': String(Math.floor(c.storageBytes * 0.9)), // plain bytes, as the kubelet reports it
  };
}
