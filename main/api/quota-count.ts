// Object-count quota names (pkg/quota/v1 ObjectCountQuotaResourceNameFor): `count/<resource>` for core
// resources and `count/<resource>.<group>` for every other served resource, CRDs' included, plus the
// legacy names core kinds are also counted by (`pods`, `services`, `replicationcontrollers`, …).
import type { ResourceInfo } from './resources';
import { RESOURCES } from './resources';

const LEGACY = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'];

/** A resource's group-resource as Kubernetes prints it: `configmaps`, `deployments.apps`, `widgets.example.com`. */
export function groupResourceOf(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** The group-resource whose objects a quota resource name counts, or undefined when it is no object count. */
export function objectCountResource(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length) || undefined;
  return LEGACY.includes(name) ? name : undefined;
}

/** The stored resource of a group-resource (a CRD's storage version), or undefined when none is served. */
export function resourceOfGroupResource(gr: string): ResourceInfo | undefined {
  const rows = RESOURCES.filter((r) => !r.virtual && r.namespaced && groupResourceOf(r) === gr);
  return rows.find((r) => !r.crd || r.storageVersion === r.version) ?? rows[0];
}
