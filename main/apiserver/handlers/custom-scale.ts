// The scale subresource of a CRD's resource (apiextensions' scale REST): Scale's spec.replicas, status.replicas
// and status.selector read from the version's specReplicasPath, statusReplicasPath and labelSelectorPath,
// and a new spec.replicas written at specReplicasPath; newScale is the Scale object subresources.ts builds too.
import type { ResourceInfo } from '../../api/resources';
import type { KObject, Scale, StoredObject } from '../../api/types';

interface ScalePaths { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }

/** The scale paths of a CRD row with a scale subresource, else undefined. */
export function customScalePaths(r: ResourceInfo): ScalePaths | undefined {
  return r.crdVersion?.subresources?.scale;
}

function fields(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function nested(obj: KObject, path: string): unknown {
  let v: unknown = obj;
  for (const f of fields(path)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[f];
  }
  return v;
}

function int(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}

/** An autoscaling/v1 Scale of `obj` (its name, namespace, uid, resourceVersion and creationTimestamp) with these replicas. */
export function newScale(obj: StoredObject, specReplicas: number, status: NonNullable<Scale['status']>): Scale {
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp,
    },
    // ScaleSpec.replicas is omitempty: a Scale of zero has an empty spec, as kube-apiserver writes it.
    spec: specReplicas ? { replicas: specReplicas } : {},
    status,
  };
}

/** scaleFromCustomResource. */
export function customScale(obj: StoredObject, paths: ScalePaths): Scale {
  const selector = paths.labelSelectorPath ? nested(obj, paths.labelSelectorPath) : undefined;
  const status = { replicas: int(nested(obj, paths.statusReplicasPath)), ...(typeof selector === 'string' && selector ? { selector } : {}) };
  return newScale(obj, int(nested(obj, paths.specReplicasPath)), status);
}

/** Writes `replicas` at specReplicasPath (making the objects on the way); false when it is already so. */
export function setCustomReplicas(obj: KObject, paths: ScalePaths, replicas: number): boolean {
  const path = fields(paths.specReplicasPath);
  let at = obj as Record<string, unknown>;
  for (const f of path.slice(0, -1)) {
    const next = at[f];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[f] = {};
    at = at[f] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (at[last] === replicas) return false;
  at[last] = replicas;
  return true;
}
