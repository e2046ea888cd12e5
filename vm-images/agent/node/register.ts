// Registers the Node: creates it, or takes over an existing one (same name) by updating its labels
// and status. Retries until the API answers (the tunnel may not be up yet).
import type { Node, NodeStatus } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isAlreadyExists, isConflict } from '../../../main/client/types';
import { goArch } from './node-info';
import { R } from '../../../main/client/refs';

export function nodeLabels(nodeName: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': goArch(), 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': goArch(), 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux',
    ...extra,
  };
}

/** Creates or updates the Node; resolves with the stored object (status written). */
export async function registerNode(client: ApiClient, nodeName: string, labels: Record<string, string>, status: NodeStatus): Promise<Node> {
  const body: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels }, spec: {}, status };
  let node: Node;
  try {
    node = await client.create<Node>(R.nodes, body, { fieldManager: 'flotilla-agent' });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    node = await updateLabels(client, nodeName, labels);
  }
  return client.update<Node>(R.nodes, { ...node, metadata: { ...node.metadata, resourceVersion: undefined }, status }, { subresource: 'status', fieldManager: 'flotilla-agent' });
}

async function updateLabels(client: ApiClient, nodeName: string, labels: Record<string, string>): Promise<Node> {
  for (let attempt = 0; ; attempt++) {
    const current = await client.get<Node>(R.nodes, nodeName);
    const have = current.metadata?.labels ?? {};
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return current;
    try {
      return await client.update<Node>(R.nodes, { ...current, metadata: { ...current.metadata, labels: { ...have, ...labels } } }, { fieldManager: 'flotilla-agent' });
    } catch (err) {
      if (!isConflict(err) || attempt > 5) throw err;
    }
  }
}
