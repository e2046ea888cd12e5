// Draining a node before its machine goes: cordon, evict every pod bound to it, wait (bounded) for
// them to leave, then delete the Node object.
import type { KObject } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { R } from '../client/refs';
import { pollUntil } from '../protocol/poll';

export interface DrainOptions {
  /** How long to wait for evicted pods to be gone (ms); after that the Node is deleted anyway. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

async function podsOn(client: ApiClient, node: string): Promise<KObject[]> {
  const list = await client.list(R.pods, { fieldSelector: `spec.nodeName=${node}` });
  return list.items;
}

export async function drainNode(client: ApiClient, node: string, opts: DrainOptions = {}): Promise<void> {
  try {
    await client.patch(R.nodes, node, { spec: { unschedulable: true } }, 'merge');
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  for (const p of await podsOn(client, node)) {
    const ns = p.metadata?.namespace ?? 'default';
    const name = p.metadata?.name ?? '';
    try {
      await client.evict(ns, name);
    } catch (e) {
      if (!isNotFound(e)) opts.log?.(`evicting ${ns}/${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    await pollUntil(async () => (await podsOn(client, node)).length === 0, opts.timeoutMs ?? 30_000, `pods to leave node ${node}`, 100);
  } catch (e) {
    opts.log?.(`${e instanceof Error ? e.message : String(e)}; deleting the node anyway`);
  }
}

export async function deleteNodeObject(client: ApiClient, node: string): Promise<void> {
  try {
    await client.delete(R.nodes, node);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** Pods still bound to a deleted node never finish terminating (no agent): remove them. */
export async function forgetPodsOf(client: ApiClient, node: string): Promise<void> {
  for (const p of await podsOn(client, node)) {
    try {
      await client.delete(R.pods, p.metadata?.name ?? '', { namespace: p.metadata?.namespace ?? 'default', gracePeriodSeconds: 0 });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
