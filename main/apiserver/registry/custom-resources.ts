// The resources CustomResourceDefinitions define, served while their definition is stored: each served
// version of a CRD becomes a row of the served-resource table (resources.ts serveCustomResources), kept
// current from a watch of the definitions; a deleted definition takes its objects with it.
import type { CustomResourceDefinition, KObject } from '../../api/types';
import type { Cause } from '../../api/validation';
import { validateCustomObject } from '../../api/validation/custom-object';
import type { ResourceInfo, SubresourceInfo } from '../../api/resources';
import { resourceFor, serveCustomResources, storagePrefix } from '../../api/resources';
import type { Store } from '../../store/types';

const CRDS = resourceFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

/** What a CRD version's schema refuses in an object of its resource (nothing for other resources). */
export function schemaCauses(r: ResourceInfo, obj: KObject): Cause[] {
  return r.schema ? validateCustomObject(r.schema, obj) : [];
}

/** The rows a definition serves: one per served version, the storage version first. */
export function resourcesOf(crd: CustomResourceDefinition): ResourceInfo[] {
  const { group, names, scope } = crd.spec;
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name;
  const versions = [...crd.spec.versions].filter((v) => v.served).sort((a, b) => Number(b.storage) - Number(a.storage));
  return versions.map((v) => {
    const subresources: SubresourceInfo[] = [];
    if (v.subresources?.status) subresources.push({ name: 'status', group, version: v.name, kind: names.kind, verbs: SUB_VERBS });
    if (v.subresources?.scale) subresources.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUB_VERBS });
    return {
      group, version: v.name, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(), namespaced: scope === 'Namespaced',
      shortNames: names.shortNames ?? [], categories: names.categories ?? [], verbs: ALL_VERBS, subresources, custom: true, crd: true,
      schema: v.schema?.openAPIV3Schema, crdVersion: v, storageVersion,
    };
  });
}

function definitions(store: Store): CustomResourceDefinition[] {
  return store.list(storagePrefix(CRDS)).items.map((kv) => JSON.parse(kv.value) as CustomResourceDefinition);
}

/** Deletes every stored object of the resource a deleted definition served. */
async function deleteObjectsOf(store: Store, crd: CustomResourceDefinition): Promise<void> {
  const [row] = resourcesOf({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.map((v) => ({ ...v, served: true })) } });
  if (!row) return;
  for (const kv of store.list(storagePrefix({ ...row, namespaced: false })).items) {
    await store.delete(kv.key).catch(() => undefined);
  }
}

/** Serves what the stored definitions define, now and on every change; returns the stop function. */
export function serveDefinedResources(store: Store, log: (l: string) => void): () => void {
  const refresh = () => serveCustomResources(definitions(store).flatMap(resourcesOf));
  refresh();
  const stopWatch = store.watch(storagePrefix(CRDS), store.revision, (events) => {
    refresh();
    for (const e of events) {
      if (e.type !== 'DELETE') continue;
      deleteObjectsOf(store, JSON.parse(e.value) as CustomResourceDefinition).catch((err: unknown) => log(`deleting custom objects: ${String(err)}`));
    }
  });
  return () => {
    stopWatch();
    serveCustomResources([]);
  };
}
