// The one naming scheme for new nodes: `node-N` with the lowest N not taken by a Machine or a Node.
// The UI's Add node, `flotilla node add` and `serve --nodes` all create their Machines here.
import type { KObject, Machine, MachineSpec } from '../api/types';
import type { ApiClient, WriteOpts } from '../client/types';
import { isAlreadyExists } from '../client/types';
import { R } from '../client/refs';

export const NODE_NAME_PREFIX = 'node-';

/** node-1, node-2, …: the first one not in `taken`. */
export function lowestFreeNodeName(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const name = `${NODE_NAME_PREFIX}${n}`;
    if (!used.has(name)) return name;
  }
}

/** Names of every Machine (also those being deleted) and every Node. */
async function takenNames(client: ApiClient): Promise<string[]> {
  const [machines, nodes] = await Promise.all([client.list(R.machines), client.list(R.nodes)]);
  return [...machines.items, ...nodes.items].map((o) => o.metadata?.name ?? '');
}

/**
 * Creates a Machine named `name`, or else `node-N` with the lowest free N (taken again when another
 * client took that name meanwhile).
 */
export async function createMachine(client: ApiClient, spec: MachineSpec, name?: string, opts: WriteOpts = {}): Promise<Machine & KObject> {
  const make = (n: string): Machine & KObject => ({ apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: n }, spec });
  if (name !== undefined) return client.create<Machine & KObject>(R.machines, make(name), opts);
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.create<Machine & KObject>(R.machines, make(lowestFreeNodeName(await takenNames(client))), opts);
    } catch (e) {
      if (!isAlreadyExists(e) || attempt >= 5) throw e;
    }
  }
}
