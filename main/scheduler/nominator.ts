// Pods nominated to a node by preemption (status.nominatedNodeName) but not bound yet. While a
// node's victims terminate, Filter counts the nominated pods of equal or higher priority on it
// (upstream's addNominatedPods), so that others do not take the room preemption made.
import type { NodeInfo } from './node-info';
import type { PodInfo } from './types';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  get size(): number {
    return this.nodeOf.size;
  }

  /** Records (or moves) the pod's nomination; an empty node clears it. */
  set(info: PodInfo, node: string | undefined): void {
    this.delete(info.uid);
    if (!node) return;
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map<string, PodInfo>()));
    m.set(info.uid, info);
    this.nodeOf.set(info.uid, node);
  }

  delete(uid: string): void {
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const m = this.byNode.get(node);
    m?.delete(uid);
    if (m && !m.size) this.byNode.delete(node);
  }

  nodeFor(uid: string): string | undefined {
    return this.nodeOf.get(uid);
  }

  /** Pods nominated to the node, of the given priority or lower (candidates to lose their nomination). */
  lowerOn(node: string, priority: number): PodInfo[] {
    return [...(this.byNode.get(node)?.values() ?? [])].filter((p) => p.priority < priority);
  }

  /**
   * Adds the node's nominated pods of priority >= the pod's (other than the pod itself) to the
   * NodeInfo and returns them, so the caller can remove them after filtering.
   */
  addTo(pod: PodInfo, ni: NodeInfo): PodInfo[] {
    const m = this.byNode.get(ni.name);
    if (!m) return [];
    const added: PodInfo[] = [];
    for (const p of m.values()) {
      if (p.uid === pod.uid || p.priority < pod.priority || ni.pods.has(p.uid)) continue;
      ni.addPod(p);
      added.push(p);
    }
    return added;
  }
}
