// A pod's effective requests as the scheduler and the kubelet's admission count them (resourcehelper.PodRequests, in
// short): its containers' requests summed (a limit stands in for a missing request), each init container's taken
// as a floor, plus the RuntimeClass overhead. cpu in millicores, memory in bytes.
import type { Container, Pod } from './types';
import { quantityOrNaN } from './quantity';

/** A quantity's value, 0 when missing or malformed. */
const q = (v: string | number | undefined): number => quantityOrNaN(v) || 0;

/** One container's cpu (millicores) and memory (bytes) requests, and whether each was given. */
export function containerRequests(c: Container): { cpu: number; mem: number; cpuSet: boolean; memSet: boolean } {
  const r = c.resources?.requests ?? c.resources?.limits ?? {};
  const lim = c.resources?.limits ?? {};
  const cpu = r.cpu ?? lim.cpu;
  const mem = r.memory ?? lim.memory;
  return { cpu: Math.round(q(cpu) * 1000), mem: q(mem), cpuSet: cpu !== undefined, memSet: mem !== undefined };
}

export function podRequests(pod: Pod): { cpuMilli: number; memBytes: number } {
  let cpu = 0, mem = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    cpu += r.cpu;
    mem += r.mem;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    cpu = Math.max(cpu, r.cpu);
    mem = Math.max(mem, r.mem);
  }
  const oh = pod.spec?.overhead;
  if (oh) {
    cpu += Math.round(q(oh.cpu) * 1000);
    mem += q(oh.memory);
  }
  return { cpuMilli: cpu, memBytes: mem };
}
