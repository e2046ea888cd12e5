// Draining a node before its machine goes: cordon, evict every pod bound to it (retrying those a
// disruption budget holds back), wait (bounded) for them to leave, then delete the Node object.
import type { KObject } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { R } from '../client/refs';
import { pollUntil } from '../protocol/poll';
import { tryEvict } from '../client/eviction';

export interface DrainOptions {
  /** How long to wait for evicted pods to be gone (ms); after that the Node is deleted anyway. */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Called when pods wait on a PodDisruptionBudget: "<ns>/<pod>: <why>" for each (the eviction is retried every 5 s). */
  onWait?: (waiting: string[]) => void;
}

/** How long a pod whose eviction a disruption budget refused waits before the next try (kubectl drain's 5 s). */
export const EVICTION_RETRY_MS = 5_000;

async function podsOn(client: ApiClient, node: string): Promise<KObject[]> {
  const list = await client.list(R.pods, { fieldSelector: `spec.nodeName=${node}` });
  return list.items;
}

/**
 * Cordons the node and evicts its pods until none is left or the time is up. A disruption budget that
 * refuses an eviction is respected: the pod's eviction is retried every EVICTION_RETRY_MS and
 * onWait says which pods wait and why.
 */
export async function drainNode(client: ApiClient, node: string, opts: DrainOptions = {}): Promise<void> {
  try {
    await client.patch(R.nodes, node, { spec: { unschedulable: true } }, 'merge');
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  const nextTry = new Map<string, number>();
  const pass = async (): Promise<boolean> => {
    const pods = await podsOn(client, node);
    if (!pods.length) return true;
    const waiting: string[] = [];
    for (const p of pods) {
      const ns = p.metadata?.namespace ?? 'default';
      const name = p.metadata?.name ?? '';
      const key = `${ns}/${name}`;
      if (p.metadata?.deletionTimestamp || (nextTry.get(key) ?? 0) > Date.now()) continue;
      try {
        const out = await tryEvict(client, ns, name);
        if (out.evicted) continue;
        nextTry.set(key, Date.now() + EVICTION_RETRY_MS);
        waiting.push(`${key}: ${out.reason}`);
        opts.log?.(`evicting ${key} (will retry after ${EVICTION_RETRY_MS / 1000}s): ${out.reason}`);
      } catch (e) {
        opts.log?.(`evicting ${key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (waiting.length) opts.onWait?.(waiting);
    return false;
  };
  try {
    await pollUntil(pass, opts.timeoutMs ?? 30_000, `pods to leave node ${node}`, 100);
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
