// The kubelet's admission of a pod bound to this node (lifecycle/predicate.go's predicateAdmitHandler, its resource
// part: noderesources.Fits). A pod that reaches the node without the scheduler (spec.nodeName set by its author) may
// not fit: the pods this node already admitted and the new one must stay within its allocatable pods, cpu and
// memory. Checked in Fits' order, the first shortfall is the answer: reason OutOf<resource>, message "Node didn't
// have enough resource: <resource>, requested: <n>, used: <n>, capacity: <n>" (cpu in millicores, memory in bytes).
import type { Pod } from '../../../main/api/types';
import { quantityOrNaN } from '../../../main/api/quantity';
import { podRequests } from '../../../main/api/pod-requests';

export interface Rejection { reason: string; message: string }

/** An allocatable figure; undefined when the node does not give it (or it is malformed): nothing to check. */
function quantity(v: string | undefined): number | undefined {
  const n = quantityOrNaN(v);
  return Number.isNaN(n) ? undefined : n;
}

function shortfall(resource: string, requested: number, used: number, capacity: number): Rejection {
  return { reason: `OutOf${resource}`, message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}` };
}

/** Whether `pod` fits beside the pods already admitted (active ones) within the node's allocatable; undefined: it does. */
export function admitResources(pod: Pod, admitted: readonly Pod[], allocatable: Record<string, string> | undefined): Rejection | undefined {
  if (!allocatable) return undefined;
  const pods = quantity(allocatable.pods);
  if (pods !== undefined && admitted.length + 1 > pods) return shortfall('pods', 1, admitted.length, pods);
  const want = podRequests(pod);
  const used = admitted.map(podRequests).reduce((a, p) => ({ cpu: a.cpu + p.cpuMilli, mem: a.mem + p.memBytes }), { cpu: 0, mem: 0 });
  const cpu = quantity(allocatable.cpu);
  if (cpu !== undefined && want.cpuMilli > 0) {
    const cap = Math.round(cpu * 1000);
    if (want.cpuMilli > cap - used.cpu) return shortfall('cpu', want.cpuMilli, used.cpu, cap);
  }
  const mem = quantity(allocatable.memory);
  if (mem !== undefined && want.memBytes > 0 && want.memBytes > mem - used.mem) return shortfall('memory', want.memBytes, used.mem, mem);
  return undefined;
}
