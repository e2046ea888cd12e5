// A node's scheduling state: allocatable, the sum of its pods' requests (bound and assumed),
// used host ports, pod counts per owner (for spreading) and of pods with inter-pod affinity terms.
import type { Node, Taint } from '../api/types';
import { parseQuantity } from '../api/quantity';
import type { PodInfo } from './types';

function q(v: string | number | undefined, def: number): number {
  if (v === undefined) return def;
  try {
    return parseQuantity(v);
  } catch {
    return def;
  }
}

export class NodeInfo {
  node!: Node;
  name = '';
  allocCpuMilli = 0;
  allocMem = 0;
  allocPods = 0;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  reqCpu = 0;
  reqMem = 0;
  nzCpu = 0;
  nzMem = 0;
  readonly pods = new Map<string, PodInfo>();
  readonly ports = new Map<string, number>();
  readonly owners = new Map<string, number>();
  /** Pods with any pod affinity or anti-affinity term, and those with required anti-affinity (upstream's PodsWithAffinity, PodsWithRequiredAntiAffinity). */
  withAffinity = 0;
  withRequiredAntiAffinity = 0;
  /** Bumped by every pod added or removed: a cycle's state knows whether the node changed since its PreFilter. */
  generation = 0;

  constructor(node: Node) {
    this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata?.name ?? '';
    const a = node.status?.allocatable ?? node.status?.capacity ?? {};
    this.allocCpuMilli = Math.round(q(a.cpu, 0) * 1000);
    this.allocMem = q(a.memory, 0);
    this.allocPods = q(a.pods, 110);
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.uid)) return;
    this.pods.set(p.uid, p);
    this.generation++;
    if (p.interPod) {
      this.withAffinity++;
      if (p.interPod.requiredAntiAffinity.length) this.withRequiredAntiAffinity++;
    }
    this.reqCpu += p.cpuMilli;
    this.reqMem += p.memBytes;
    this.nzCpu += p.nonZeroCpu;
    this.nzMem += p.nonZeroMem;
    for (const hp of p.hostPorts) this.ports.set(hp, (this.ports.get(hp) ?? 0) + 1);
    if (p.ownerUid) this.owners.set(p.ownerUid, (this.owners.get(p.ownerUid) ?? 0) + 1);
  }

  removePod(uid: string): void {
    const p = this.pods.get(uid);
    if (!p) return;
    this.pods.delete(uid);
    this.generation++;
    if (p.interPod) {
      this.withAffinity--;
      if (p.interPod.requiredAntiAffinity.length) this.withRequiredAntiAffinity--;
    }
    this.reqCpu -= p.cpuMilli;
    this.reqMem -= p.memBytes;
    this.nzCpu -= p.nonZeroCpu;
    this.nzMem -= p.nonZeroMem;
    for (const hp of p.hostPorts) {
      const n = (this.ports.get(hp) ?? 1) - 1;
      if (n <= 0) this.ports.delete(hp);
      else this.ports.set(hp, n);
    }
    if (p.ownerUid) {
      const n = (this.owners.get(p.ownerUid) ?? 1) - 1;
      if (n <= 0) this.owners.delete(p.ownerUid);
      else this.owners.set(p.ownerUid, n);
    }
  }
}
