// The Images view's per-node part: each node's images from its agent (GET /images: all of them, with the
// runtime's pinned flag), or from Node status.images when the agent cannot be asked (a hollow node, a
// node whose tunnel is down), with the pods on that node using each; pull and remove go to the agent.
import type { KObject, Node, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { podsUsingImage } from '../api/image-usage';
import { agentRequest, type AgentEndpoint } from '../protocol/agent-connection';
import type { AgentImageList, AgentPruneResult, AgentPullResult } from '../protocol/node-images';
import type { NodeImages } from './contract';
import { BridgeFailure } from './errors';
import { KIND_RESOURCES } from './kinds';

/** The agent's Status message (it answers errors as Kubernetes Status objects), else its body. */
function agentFailure(node: string, status: number, body: string): BridgeFailure {
  let message = body.trim();
  let reason = 'AgentError';
  try {
    const s = JSON.parse(body) as { message?: string; reason?: string };
    if (s.message) message = s.message;
    if (s.reason) reason = s.reason;
  } catch { /* plain text */ }
  return new BridgeFailure(status, reason, `node ${node}: ${message || `the agent answered ${status}`}`);
}

async function callAgent<T>(agents: AgentEndpoint | undefined, node: string, method: string, path: string, body?: unknown): Promise<T> {
  if (!agents) throw new BridgeFailure(501, 'NotImplemented', `Flotilla does not manage node ${node}'s agent here: it runs no node manager`);
  let r: { status: number; body: string };
  try {
    r = await agentRequest(agents, node, method, path, body);
  } catch (e) {
    throw new BridgeFailure(503, 'ServiceUnavailable', `node ${node}'s agent cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (r.status >= 300) throw agentFailure(node, r.status, r.body);
  return JSON.parse(r.body) as T;
}

function fromStatus(node: Node, pods: Pod[], error: string): NodeImages {
  const images = (node.status?.images ?? []).map((i) => ({ names: i.names ?? [], sizeBytes: i.sizeBytes ?? 0, pods: podsUsingImage(i.names ?? [], pods) }));
  return { node: node.metadata?.name ?? '', images, source: 'status', error };
}

async function imagesOf(client: ApiClient, agents: AgentEndpoint | undefined, node: Node & KObject): Promise<NodeImages> {
  const name = node.metadata?.name ?? '';
  const pods = (await client.list<Pod & KObject>(KIND_RESOURCES.pods, { fieldSelector: `spec.nodeName=${name}` })).items;
  try {
    const list = await callAgent<AgentImageList>(agents, name, 'GET', '/images');
    const images = list.images.map((i) => ({
      id: i.id, names: [...i.repoTags, ...i.repoDigests], sizeBytes: i.sizeBytes, pinned: i.pinned,
      pods: podsUsingImage([...i.repoTags, ...i.repoDigests], pods, i.id),
    }));
    return { node: name, images, source: 'agent' };
  } catch (e) {
    return fromStatus(node, pods, e instanceof Error ? e.message : String(e));
  }
}

/** Every node's images (or one node's: a 404 Status for an unknown node). */
export async function listNodeImages(client: ApiClient, agents: AgentEndpoint | undefined, node?: string): Promise<NodeImages[]> {
  const nodes = node ? [await client.get<Node & KObject>(KIND_RESOURCES.nodes, node)] : (await client.list<Node & KObject>(KIND_RESOURCES.nodes)).items;
  const out = await Promise.all(nodes.map((n) => imagesOf(client, agents, n)));
  return out.sort((a, b) => a.node.localeCompare(b.node));
}

/** The node must exist: a 404 with Kubernetes' message otherwise, before anything is dialled. */
async function known(client: ApiClient, node: string): Promise<void> {
  await client.get(KIND_RESOURCES.nodes, node);
}

export async function pullNodeImage(client: ApiClient, agents: AgentEndpoint | undefined, node: string, image: string): Promise<AgentPullResult> {
  await known(client, node);
  return callAgent<AgentPullResult>(agents, node, 'POST', '/images/pull', { image });
}

export async function removeNodeImage(client: ApiClient, agents: AgentEndpoint | undefined, node: string, image: string): Promise<AgentPruneResult> {
  await known(client, node);
  return callAgent<AgentPruneResult>(agents, node, 'POST', '/images/remove', { image });
}

export async function pruneNodeImages(client: ApiClient, agents: AgentEndpoint | undefined, node: string): Promise<AgentPruneResult> {
  await known(client, node);
  return callAgent<AgentPruneResult>(agents, node, 'POST', '/images/prune', {});
}
