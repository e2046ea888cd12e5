// The scheduler's cache: NodeInfos of every node with the pods bound to them, plus pods the
// scheduler has assumed (bound in the cache before the API confirms), so the next cycle sees
// them without waiting for a watch round-trip.
import type { Node, Pod } from '../api/types';
import { NodeInfo } from './node-info';
import { newPodInfo } from './pod-info';
import type { PodInfo } from './types';

interface PodState {
  node: string;
  info: PodInfo;
  assumed: boolean;
}

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** Nodes in a stable order for the rotating search. */
  nodeList: NodeInfo[] = [];
  private readonly podStates = new Map<string, PodState>();
  /** Pods that reference a node the cache has not seen yet. */
  private readonly orphans = new Map<string, Set<string>>();

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodes.get(name);
    if (ni) return ni.setNode(node);
    const fresh = new NodeInfo(node);
    this.nodes.set(name, fresh);
    this.nodeList.push(fresh);
    for (const uid of this.orphans.get(name) ?? []) {
      const st = this.podStates.get(uid);
      if (st) fresh.addPod(st.info);
    }
    this.orphans.delete(name);
  }

  removeNode(name: string): void {
    if (!this.nodes.delete(name)) return;
    this.nodeList = this.nodeList.filter((n) => n.name !== name);
  }

  /** The cycle decided: count the pod on the node now. */
  assume(info: PodInfo, node: string): void {
    this.podStates.set(info.uid, { node, info, assumed: true });
    this.nodes.get(node)?.addPod(info);
  }

  /** Binding failed: forget the assumption. */
  forget(uid: string): void {
    const st = this.podStates.get(uid);
    if (!st || !st.assumed) return;
    this.podStates.delete(uid);
    this.nodes.get(st.node)?.removePod(uid);
  }

  isAssumed(uid: string): boolean {
    return this.podStates.get(uid)?.assumed ?? false;
  }

  /** A pod bound to a node was seen (added or updated) through the API. */
  addOrUpdatePod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const node = pod.spec?.nodeName ?? '';
    const st = this.podStates.get(uid);
    if (st && st.node === node) {
      st.assumed = false;
      st.info.pod = pod; // preemption reads its start time and deletion
      return;
    }
    if (st) this.removePod(uid);
    const info = newPodInfo(pod);
    this.podStates.set(uid, { node, info, assumed: false });
    const ni = this.nodes.get(node);
    if (ni) ni.addPod(info);
    else {
      let s = this.orphans.get(node);
      if (!s) this.orphans.set(node, (s = new Set()));
      s.add(uid);
    }
  }

  removePod(uid: string): void {
    const st = this.podStates.get(uid);
    if (!st) return;
    this.podStates.delete(uid);
    this.nodes.get(st.node)?.removePod(uid);
    this.orphans.get(st.node)?.delete(uid);
  }
}
