// The resources the control loops read and write, as client ResourceRefs.
import type { ResourceRef } from '../client/types';

function ref(group: string, version: string, plural: string, namespaced: boolean): ResourceRef {
  return { group, version, plural, namespaced };
}

export const R = {
  pods: ref('', 'v1', 'pods', true),
  nodes: ref('', 'v1', 'nodes', false),
  namespaces: ref('', 'v1', 'namespaces', false),
  services: ref('', 'v1', 'services', true),
  endpoints: ref('', 'v1', 'endpoints', true),
  events: ref('', 'v1', 'events', true),
  configmaps: ref('', 'v1', 'configmaps', true),
  secrets: ref('', 'v1', 'secrets', true),
  deployments: ref('apps', 'v1', 'deployments', true),
  replicasets: ref('apps', 'v1', 'replicasets', true),
  daemonsets: ref('apps', 'v1', 'daemonsets', true),
  endpointslices: ref('discovery.k8s.io', 'v1', 'endpointslices', true),
  leases: ref('coordination.k8s.io', 'v1', 'leases', true),
} as const;

export type ResourceName = keyof typeof R;

/** The namespace/name key of an object (name alone for cluster-scoped objects). */
export function keyOf(o: { metadata?: { namespace?: string; name?: string } }): string {
  const m = o.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
