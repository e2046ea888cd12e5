// Node actions: cordon, drain (cordon, then evict every pod not owned by a DaemonSet), remove.
import type { KObject, Machine, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { KIND_RESOURCES } from './kinds';

export async function cordon(client: ApiClient, node: string, unschedulable: boolean): Promise<void> {
  await client.patch(KIND_RESOURCES.nodes, node, { spec: { unschedulable: unschedulable ? true : null } }, 'merge');
}

export async function drain(client: ApiClient, node: string): Promise<number> {
  await cordon(client, node, true);
  const pods = await client.list<Pod & KObject>(KIND_RESOURCES.pods, { fieldSelector: `spec.nodeName=${node}` });
  let evicted = 0;
  for (const p of pods.items) {
    if (p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) continue;
    if (p.metadata?.deletionTimestamp) continue;
    try {
      await client.evict(p.metadata?.namespace ?? 'default', p.metadata?.name ?? '');
      evicted++;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return evicted;
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
