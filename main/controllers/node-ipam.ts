// Node IPAM: each node gets spec.podCIDR / podCIDRs the lowest free /24 of the cluster CIDR (10.244.N.0/24 for the
// default 10.244.0.0/16). The allocation is rebuilt from existing nodes (stable across restarts) and released when a
// node goes.
import type { Node } from '../api/types';
import { DEFAULT_CLUSTER_CIDR, nodeRange, nodeRangeCount, nodeRangeIndex, parseClusterCIDR, type ClusterCIDR } from '../api/cluster-cidr';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';

/** Which range indexes are taken, and by which node. */
class RangeAllocator {
  private readonly used = new Map<number, string>();

  constructor(private readonly cluster: ClusterCIDR) {}

  claim(node: string, cidr: string | undefined): void {
    const i = nodeRangeIndex(this.cluster, cidr);
    if (i !== undefined) this.used.set(i, node);
  }

  release(node: string): void {
    for (const [k, v] of this.used) if (v === node) this.used.delete(k);
  }

  /** The node's index (already reserved, or the lowest free one, now reserved), or undefined when all are taken. */
  allocate(node: string): number | undefined {
    for (const [k, v] of this.used) if (v === node) return k;
    for (let i = 0; i < nodeRangeCount(this.cluster); i++) {
      if (this.used.has(i)) continue;
      this.used.set(i, node);
      return i;
    }
    return undefined;
  }

  free(i: number): void {
    this.used.delete(i);
  }

  /** Informer bookkeeping: ranges nodes carry are taken, a deleted node's are released. */
  handler() {
    return {
      add: (n: Node) => this.claim(n.metadata!.name!, n.spec?.podCIDR),
      update: (_o: Node, n: Node) => this.claim(n.metadata!.name!, n.spec?.podCIDR),
      delete: (n: Node) => this.release(n.metadata!.name!),
    };
  }
}

/** clusterCIDR: kube-controller-manager's --cluster-cidr (default 10.244.0.0/16). */
export function newNodeIpamController(ctx: ControllerContext, clusterCIDR: string = DEFAULT_CLUSTER_CIDR): Controller {
  const nodes = ctx.informers.nodes;
  const cluster = parseClusterCIDR(clusterCIDR);
  const ranges = new RangeAllocator(cluster);
  const recorder = ctx.recorder('node-ipam-controller');
  const needsCIDR = (n: Node) => !n.spec?.podCIDR;

  async function reconcile(name: string): Promise<void> {
    const n = nodes.get(name);
    if (!n || n.spec?.podCIDR) return;
    const idx = ranges.allocate(name);
    if (idx === undefined) {
      recorder.event(n, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return;
    }
    const cidr = nodeRange(cluster, idx);
    let patched;
    try {
      patched = await ignoreNotFound(ctx.client.patch(R.nodes, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge'));
    } finally {
      if (!patched) ranges.free(idx); // failed, or the node is gone
    }
  }

  const controller = newReconciler(ctx, 'node-ipam', { workers: 1 })
    .for<Node>('nodes', { add: needsCIDR, update: (_o, n) => needsCIDR(n), delete: () => false })
    .complete(reconcile);
  return withExtras(controller, { register: () => nodes.addHandler(ranges.handler()) });
}
