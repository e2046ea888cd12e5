// Node IPAM: each node gets spec.podCIDR / podCIDRs 10.244.N.0/24, the lowest free N. The
// allocation is rebuilt from existing nodes (stable across restarts) and released when a node goes.
import type { Node } from '../api/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { withExtras } from './extras';
import { ignoreNotFound } from './ignore-not-found';

const PREFIX = '10.244.';
const MAX_NODES = 256;

export function cidrIndex(cidr: string | undefined): number | undefined {
  const m = cidr ? /^10\.244\.(\d+)\.0\/24$/.exec(cidr) : null;
  return m ? Number(m[1]) : undefined;
}

/** Which range indexes are taken, and by which node. */
class RangeAllocator {
  private readonly used = new Map<number, string>();

  claim(node: string, cidr: string | undefined): void {
    const i = cidrIndex(cidr);
    if (i !== undefined) this.used.set(i, node);
  }

  release(node: string): void {
    for (const [k, v] of this.used) if (v === node) this.used.delete(k);
  }

  /** The node's index (already reserved, or the lowest free one, now reserved), or undefined when all are taken. */
  allocate(node: string): number | undefined {
    for (const [k, v] of this.used) if (v === node) return k;
    for (let i = 0; i < MAX_NODES; i++) {
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

export function newNodeIpamController(ctx: ControllerContext): Controller {
  const nodes = ctx.informers.nodes;
  const ranges = new RangeAllocator();
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
    const cidr = `${PREFIX}${idx}.0/24`;
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
