// Computes a pod's scheduling facts once: effective requests (containers summed, init containers'
// maximum, overhead), host ports, tolerations, owner.
import type { Pod } from '../api/types';
import { containerRequests, podRequests } from '../api/pod-requests';
import type { PodInfo } from './types';
import { podAffinityTerms } from './affinity-terms';

export const DEFAULT_CPU_MILLI = 100;
export const DEFAULT_MEM_BYTES = 200 * 1024 * 1024;

export function podKey(p: Pod): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  let nzCpu = 0, nzMem = 0;
  const hostPorts: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    nzCpu += r.cpuSet ? r.cpu : DEFAULT_CPU_MILLI;
    nzMem += r.memSet ? r.mem : DEFAULT_MEM_BYTES;
    for (const p of c.ports ?? []) if (p.hostPort) hostPorts.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
  }
  const { cpuMilli: cpu, memBytes: mem } = podRequests(pod);
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
