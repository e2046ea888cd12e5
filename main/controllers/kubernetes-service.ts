// The `kubernetes` Service in `default` (10.96.0.1:443, the API server's own address inside the
// cluster) and its Endpoints and EndpointSlice, as the API server's bootstrap controller keeps them.
// The API server is not on the pod network: every node reaches it through its tunnel on the node's
// 127.0.0.1:6443, and the node agent forwards <node InternalIP>:6443 to that tunnel. So the endpoints
// are the InternalIPs of the Ready nodes, port 6443: a pod's connection to 10.96.0.1:443 is DNATed by
// the proxier to one of them, and reaches the API server through that node's tunnel.
import type { EndpointSlice, Endpoints, KObject, Node, Service } from '../api/types';
import { isAlreadyExists, isNotFound } from '../client/types';
import type { ApiClient, ResourceRef } from '../client/types';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { KUBERNETES_SERVICE_IP, KUBERNETES_SERVICE_PORT, NODE_API_PORT } from '../api/kubernetes-service';
const KEY = 'default/kubernetes';
const NAME = 'kubernetes';
const NAMESPACE = 'default';
const PORT_NAME = 'https';

function desiredService(): Service & KObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, sessionAffinity: 'None', ports: [{ name: PORT_NAME, port: KUBERNETES_SERVICE_PORT, protocol: 'TCP', targetPort: NODE_API_PORT }] },
  };
}

function isReady(n: Node): boolean {
  return (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The InternalIPs of the Ready nodes, sorted. */
export function apiAddresses(nodes: readonly Node[]): string[] {
  const ips = nodes.filter(isReady).map((n) => (n.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address).filter((a): a is string => Boolean(a));
  return [...new Set(ips)].sort();
}

function desiredEndpoints(ips: string[]): Endpoints & KObject {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    // No Ready node: no subsets at all (the key omitted, as Kubernetes stores it).
    ...(ips.length ? { subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: PORT_NAME, port: NODE_API_PORT, protocol: 'TCP' }] }] } : {}),
  };
}

function desiredSlice(ips: string[]): EndpointSlice & KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: PORT_NAME, port: NODE_API_PORT, protocol: 'TCP' }],
  };
}

/** Creates `want`, or updates the stored object when `differs` says its content is not what is wanted. */
async function ensure<T extends KObject>(client: ApiClient, r: ResourceRef, want: T, differs: (have: T) => boolean): Promise<void> {
  let have: T | undefined;
  try {
    have = await client.get<T>(r, want.metadata!.name!, NAMESPACE);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (!have) {
    try {
      await client.create(r, want, { namespace: NAMESPACE });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    return;
  }
  if (!differs(have)) return;
  const labels = { ...have.metadata?.labels, ...want.metadata?.labels };
  await client.update(r, { ...have, ...want, metadata: { ...have.metadata, labels } }, { namespace: NAMESPACE });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function newKubernetesServiceController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;

  async function reconcile(): Promise<void> {
    const svc = desiredService();
    await ensure(client, R.services, svc, (have) => !same((have as Service).spec?.ports, svc.spec?.ports));
    const ips = apiAddresses(informers.nodes.list());
    const ep = desiredEndpoints(ips);
    await ensure(client, R.endpoints, ep, (have) => !same((have as Endpoints).subsets, ep.subsets));
    const slice = desiredSlice(ips);
    await ensure(client, R.endpointslices, slice, (have) => !same(have.endpoints, slice.endpoints) || !same(have.ports, slice.ports));
  }

  return newReconciler(ctx, 'kubernetes-service')
    .for<Service>('services', { add: (s) => s.metadata?.name === NAME && s.metadata.namespace === NAMESPACE, update: (_o, s) => s.metadata?.name === NAME && s.metadata.namespace === NAMESPACE })
    // Only what changes the endpoints: a node coming, going, or changing Ready-ness or address (not every heartbeat).
    .watches<Node>('nodes', () => [KEY], { update: (o, n) => apiAddresses([o]).join() !== apiAddresses([n]).join() })
    .watches<KObject>('endpoints', (e) => (e.metadata?.name === NAME && e.metadata.namespace === NAMESPACE ? [KEY] : []))
    .watches<KObject>('endpointslices', (e) => (e.metadata?.name === NAME && e.metadata.namespace === NAMESPACE ? [KEY] : []))
    .watches<KObject>('namespaces', (n) => (n.metadata?.name === NAMESPACE ? [KEY] : []))
    .complete(reconcile);
}
