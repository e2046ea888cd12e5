// Node IPAM: each node gets spec.podCIDR / podCIDRs 10.244.N.0/24, the lowest free N. The
// allocation is rebuilt from existing nodes (stable across restarts) and released when a node goes.
import type { KObject } from '../api/types';
import { isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { WorkQueue, runWorkers } from '../client/workqueue';
import { R } from '../client/refs';

const PREFIX = '10.244.';
const MAX_NODES = 256;

export function cidrIndex(cidr: string | undefined): number | undefined {
  const m = cidr ? /^10\.244\.(\d+)\.0\/24$/.exec(cidr) : null;
  return m ? Number(m[1]) : undefined;
}

export function newNodeIpamController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const nodeInf = informers.nodes;
  const queue = new WorkQueue<string>();
  const used = new Map<number, string>();
  const recorder = ctx.recorder('node-ipam-controller');

  function claim(name: string, cidr: string | undefined): void {
    const i = cidrIndex(cidr);
    if (i !== undefined) used.set(i, name);
  }

  function register(): () => void {
    const off = nodeInf.addHandler({
      add: (n) => { claim(n.metadata!.name!, n.spec?.podCIDR); if (!n.spec?.podCIDR) queue.add(n.metadata!.name!); },
      update: (_o, n) => { claim(n.metadata!.name!, n.spec?.podCIDR); if (!n.spec?.podCIDR) queue.add(n.metadata!.name!); },
      delete: (n) => {
        const i = cidrIndex(n.spec?.podCIDR);
        if (i !== undefined && used.get(i) === n.metadata!.name!) used.delete(i);
        for (const [k, v] of used) if (v === n.metadata!.name! && k !== i) used.delete(k);
      },
    });
    return off;
  }

  async function sync(name: string): Promise<void> {
    const n = nodeInf.get(name);
    if (!n || n.spec?.podCIDR) return;
    let idx = -1;
    for (const [k, v] of used) if (v === name) idx = k;
    if (idx < 0) {
      for (let i = 0; i < MAX_NODES; i++) {
        if (!used.has(i)) {
          idx = i;
          break;
        }
      }
    }
    if (idx < 0) {
      recorder.event(n as unknown as KObject, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return;
    }
    used.set(idx, name);
    const cidr = `${PREFIX}${idx}.0/24`;
    try {
      await client.patch(R.nodes, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge');
    } catch (e) {
      used.delete(idx);
      if (!isNotFound(e)) throw e;
    }
  }

  return { name: 'node-ipam', register, run: () => runWorkers(queue, 1, sync, (k, e) => ctx.log(`node-ipam ${k}: ${e instanceof Error ? e.message : String(e)}`)) };
}
