// Node actions: cordon, drain (cordon, then evict every pod not owned by a DaemonSet, as far as
// PodDisruptionBudgets allow), remove.
import type { KObject, Machine, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { tryEvict } from '../client/eviction';
import { KIND_RESOURCES } from './kinds';

export async function cordon(client: ApiClient, node: string, unschedulable: boolean): Promise<void> {
  await client.patch(KIND_RESOURCES.nodes, node, { spec: { unschedulable: unschedulable ? true : null } }, 'merge');
}

/** What a drain did: pods evicted, and those a disruption budget holds back ("<ns>/<pod>: <why>"). */
export interface DrainResult {
  evicted: number;
  waiting: string[];
}

/** One pass, as the UI's Drain: pods a PodDisruptionBudget protects stay, and the result says why. */
export async function drain(client: ApiClient, node: string): Promise<DrainResult> {
  await cordon(client, node, true);
  const pods = await client.list<Pod & KObject>(KIND_RESOURCES.pods, { fieldSelector: `spec.nodeName=${node}` });
  const result: DrainResult = { evicted: 0, waiting: [] };
  for (const p of pods.items) {
    if (p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) continue;
    if (p.metadata?.deletionTimestamp) continue;
    const ns = p.metadata?.namespace ?? 'default';
    const out = await tryEvict(client, ns, p.metadata?.name ?? '');
    if (out.evicted) result.evicted++;
    else result.waiting.push(`${ns}/${p.metadata?.name ?? ''}: ${out.reason}`);
  }
  return result;
}

/** The Machine behind a node, if any: same name, or status.nodeName pointing at it. */
export async function machineOfNode(client: ApiClient, node: string): Promise<string | undefined> {
  const machines = await client.list<Machine & KObject>(KIND_RESOURCES.machines);
  return machines.items.find((m) => m.metadata?.name === node || m.status?.nodeName === node)?.metadata?.name;
}

export async function removeNode(client: ApiClient, node: string): Promise<void> {
  const machine = await machineOfNode(client, node);
  if (machine) {
    await client.delete(KIND_RESOURCES.machines, machine);
    return;
  }
  await client.delete(KIND_RESOURCES.nodes, node);
}
