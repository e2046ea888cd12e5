// Computes a pod's scheduling facts once: effective requests (containers summed, init containers'
// maximum, overhead), host ports, tolerations, owner.
import type { Container, Pod } from '../api/types';
import { parseQuantity } from '../api/quantity';
import type { PodInfo } from './types';
import { podAffinityTerms } from './affinity-terms';

export const DEFAULT_CPU_MILLI = 100;
export const DEFAULT_MEM_BYTES = 200 * 1024 * 1024;

function q(v: string | number | undefined): number {
  if (v === undefined) return 0;
  try {
    return parseQuantity(v);
  } catch {
    return 0;
  }
}

function requests(c: Container): { cpu: number; mem: number; cpuSet: boolean; memSet: boolean } {
  const r = c.resources?.requests ?? c.resources?.limits ?? {};
  const lim = c.resources?.limits ?? {};
  const cpu = r.cpu ?? lim.cpu;
  const mem = r.memory ?? lim.memory;
  return { cpu: Math.round(q(cpu) * 1000), mem: q(mem), cpuSet: cpu !== undefined, memSet: mem !== undefined };
}

export function podKey(p: Pod): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  let cpu = 0, mem = 0, nzCpu = 0, nzMem = 0;
  const hostPorts: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const r = requests(c);
    cpu += r.cpu;
    mem += r.mem;
    nzCpu += r.cpuSet ? r.cpu : DEFAULT_CPU_MILLI;
    nzMem += r.memSet ? r.mem : DEFAULT_MEM_BYTES;
    for (const p of c.ports ?? []) if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = requests(c);
    cpu = Math.max(cpu, r.cpu);
    mem = Math.max(mem, r.mem);
  }
  const oh = pod.spec?.overhead;
  if (oh) {
    cpu += Math.round(q(oh.cpu) * 1000);
    mem += q(oh.memory);
  }
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
  return {
    pod, key: podKey(pod), uid: pod.metadata?.uid ?? '', queuedAt: Date.now(),
    cpuMilli: cpu, memBytes: mem, nonZeroCpu: nzCpu, nonZeroMem: nzMem, hostPorts,
    tolerations: pod.spec?.tolerations ?? [], ownerUid: owner?.uid,
    nodeSelector: pod.spec?.nodeSelector, affinity: pod.spec?.affinity,
    priority: pod.spec?.priority ?? 0, preempts: pod.spec?.preemptionPolicy !== 'Never',
    interPod: podAffinityTerms(pod),
  };
}
