// References to the resources the clients read and write, derived from the one table of served
// resources (main/api/resources.ts), plus the namespace/name keys informers and work queues use.
// Pure: the agent bundles it.
import type { ResourceInfo } from '../api/resources';
import { RESOURCES, resourceFor } from '../api/resources';
import type { ResourceRef } from './types';

/** A resource served by the API as a client ResourceRef; throws if the table does not serve it. */
export function refFor(group: string, version: string, plural: string): ResourceRef {
  const r = resourceFor(group, version, plural);
  if (!r || r.virtual) throw new Error(`resource ${plural}.${group || 'core'}/${version} is not served`);
  return { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced };
}

/**
 * One ref per stored resource served now that `keep` picks — custom resources included, each in the first version the
 * table serves it (its preferred one) — keyed `<group>/<plural>`.
 */
export function servedRefs(keep: (r: ResourceInfo) => boolean): Map<string, ResourceRef> {
  const out = new Map<string, ResourceRef>();
  for (const r of RESOURCES) {
    const id = `${r.group}/${r.plural}`;
    if (r.virtual || out.has(id) || !keep(r)) continue;
    out.set(id, { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced });
  }
  return out;
}

/** The stored resources by plural name (the metrics.k8s.io views are not listed: they are not watchable). */
export const R = {
  pods: refFor('', 'v1', 'pods'),
  nodes: refFor('', 'v1', 'nodes'),
  namespaces: refFor('', 'v1', 'namespaces'),
  services: refFor('', 'v1', 'services'),
  endpoints: refFor('', 'v1', 'endpoints'),
  events: refFor('', 'v1', 'events'),
  configmaps: refFor('', 'v1', 'configmaps'),
  secrets: refFor('', 'v1', 'secrets'),
  serviceaccounts: refFor('', 'v1', 'serviceaccounts'),
  clusterroles: refFor('rbac.authorization.k8s.io', 'v1', 'clusterroles'),
  deployments: refFor('apps', 'v1', 'deployments'),
  replicasets: refFor('apps', 'v1', 'replicasets'),
  replicationcontrollers: refFor('', 'v1', 'replicationcontrollers'),
  daemonsets: refFor('apps', 'v1', 'daemonsets'),
  jobs: refFor('batch', 'v1', 'jobs'),
  cronjobs: refFor('batch', 'v1', 'cronjobs'),
  statefulsets: refFor('apps', 'v1', 'statefulsets'),
  controllerrevisions: refFor('apps', 'v1', 'controllerrevisions'),
  endpointslices: refFor('discovery.k8s.io', 'v1', 'endpointslices'),
  leases: refFor('coordination.k8s.io', 'v1', 'leases'),
  machines: refFor('flotilla.dev', 'v1alpha1', 'machines'),
  persistentvolumes: refFor('', 'v1', 'persistentvolumes'),
  persistentvolumeclaims: refFor('', 'v1', 'persistentvolumeclaims'),
  storageclasses: refFor('storage.k8s.io', 'v1', 'storageclasses'),
  poddisruptionbudgets: refFor('policy', 'v1', 'poddisruptionbudgets'),
  horizontalpodautoscalers: refFor('autoscaling', 'v2', 'horizontalpodautoscalers'),
  resourcequotas: refFor('', 'v1', 'resourcequotas'),
  customresourcedefinitions: refFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions'),
  networkpolicies: refFor('networking.k8s.io', 'v1', 'networkpolicies'),
  ingresses: refFor('networking.k8s.io', 'v1', 'ingresses'),
  ingressclasses: refFor('networking.k8s.io', 'v1', 'ingressclasses'),
  certificatesigningrequests: refFor('certificates.k8s.io', 'v1', 'certificatesigningrequests'),
  apiservices: refFor('apiregistration.k8s.io', 'v1', 'apiservices'),
} as const;

export type ResourceName = keyof typeof R;

/** The namespace/name key of an object (name alone for cluster-scoped objects), as client-go's MetaNamespaceKeyFunc. */
export function keyOf(o: { metadata?: { readonly namespace?: string; readonly name?: string } }): string {
  const m = o.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

/** The key of a namespace and name. */
export function keyFor(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
