// The resources CustomResourceDefinitions define, served while their definition is stored: each served
// version of a CRD becomes a row of the served-resource table (resources.ts serveCustomResources), kept
// current from a watch of the definitions; a deleted definition takes its objects with it. Requests to a
// deprecated version get its deprecation warning.
import type { CustomResourceDefinition, KObject } from '../../api/types';
import type { Cause } from '../../api/validation';
import { validateCustomObject } from '../../api/validation/custom-object';
import { listSetAndMapCauses } from '../../api/validation/custom-list-types';
import { invalid } from '../../api/validation/cause';
import { celCauses, hasRules } from './custom-cel';
import { crdRuleCauses } from './crd-cel-compile';
import { policyCompileCauses } from './admission-policy-compile';
import type { ResourceInfo, SubresourceInfo } from '../../api/resources';
import { RESOURCES, resourceFor, serveCustomResources, storagePrefix } from '../../api/resources';
import type { Store } from '../../store/types';
import { ApiError } from '../status';
import { byVersionPriority } from '../../api/crd';

const CRDS = resourceFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

/** Schema errors after which the CEL rules are not run (hasBlockingErr). */
const BLOCKING = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);
const RULES_NOT_CHECKED = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** What a CRD version's schema and its CEL rules refuse in an object of its resource; for a definition, its rules' compile errors. */
export function schemaCauses(r: ResourceInfo, obj: KObject, old?: KObject): Cause[] {
  // A definition's own CEL rules compile when its spec is written (not on status writes or unchanged specs).
  if (r.group === CRDS.group && r.plural === CRDS.plural) return old && JSON.stringify(old.spec) === JSON.stringify(obj.spec) ? [] : crdRuleCauses(obj);
  if (r.group === 'admissionregistration.k8s.io' && r.plural === 'validatingadmissionpolicies') {
    return old && JSON.stringify(old.spec) === JSON.stringify(obj.spec) ? [] : policyCompileCauses(obj);
  }
  if (!r.schema) return [];
  const causes = validateCustomObject(r.schema, obj, old);
  // Duplicates in list-type sets and maps; on an update only when the stored object had none (their ratcheting).
  if (!old || listSetAndMapCauses(r.schema, old).length === 0) causes.push(...listSetAndMapCauses(r.schema, obj));
  // As apiextensions' strategy: the CEL rules run unless the schema found an error that makes them meaningless.
  if (!hasRules(r.schema)) return causes;
  if (causes.some((c) => BLOCKING.has(c.reason))) return [...causes, invalid('<nil>', 'null', RULES_NOT_CHECKED)];
  return [...causes, ...celCauses(r.schema, obj, old)];
}

/** The rows a definition serves: one per served version, in Kubernetes' version priority (the preferred version first). */
export function resourcesOf(crd: CustomResourceDefinition): ResourceInfo[] {
  const { group, names, scope } = crd.spec;
  const storageVersion = crd.spec.versions.find((v) => v.storage)?.name;
  const versions = [...crd.spec.versions].sort((a, b) => byVersionPriority(a.name, b.name));
  const webhook = crd.spec.conversion?.strategy === 'Webhook' ? crd.spec.conversion.webhook : undefined;
  const rows = versions.map((v): ResourceInfo => {
    const subresources: SubresourceInfo[] = [];
    if (v.subresources?.status) subresources.push({ name: 'status', group, version: v.name, kind: names.kind, verbs: SUB_VERBS });
    if (v.subresources?.scale) subresources.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUB_VERBS });
    return {
      group, version: v.name, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(), namespaced: scope === 'Namespaced',
      shortNames: names.shortNames ?? [], categories: names.categories ?? [], verbs: ALL_VERBS, subresources, custom: true, crd: true,
      schema: v.schema?.openAPIV3Schema, crdVersion: v, storageVersion, ...(webhook ? { conversionWebhook: webhook } : {}),
    };
  });
  const storageRow = webhook ? rows.find((row) => row.version === storageVersion) : undefined;
  return rows.filter((row) => row.crdVersion?.served).map((row) => (storageRow ? { ...row, storageRow } : row));
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

/** The rows CRDs serve now (each version's schema in `schema`, the whole version in `crdVersion`), e.g. for OpenAPI. */
export function servedCustomResources(): ResourceInfo[] {
  return RESOURCES.filter((r) => r.crd);
}

const deprecations = new Map<string, string>();
const terminating = new Set<string>();

/** defaultDeprecationWarning: `<group>/<version> <Kind> is deprecated; use <group>/<newer served version> <Kind>`. */
function deprecationWarning(spec: CustomResourceDefinition['spec'], version: string): string {
  const msg = `${spec.group}/${version} ${spec.names.kind} is deprecated`;
  const newer = spec.versions.filter((v) => v.served && !v.deprecated && byVersionPriority(v.name, version) < 0).map((v) => v.name).sort(byVersionPriority);
  return newer.length ? `${msg}; use ${spec.group}/${newer[0]} ${spec.names.kind}` : msg;
}

function servePaths(crds: CustomResourceDefinition[]): void {
  deprecations.clear();
  terminating.clear();
  for (const crd of crds) {
    if (crd.status?.conditions?.some((c) => c.type === 'Terminating' && c.status === 'True')) terminating.add(`${crd.spec.group}/${crd.spec.names.plural}`);
    for (const v of crd.spec.versions) {
      if (v.served && v.deprecated) deprecations.set(`${crd.spec.group}/${v.name}/${crd.spec.names.plural}`, v.deprecationWarning ?? deprecationWarning(crd.spec, v.name));
    }
  }
  serveCustomResources(crds.flatMap(resourcesOf));
}

/** The Warning a request to a deprecated CRD version gets (none for other resources). */
export function deprecationWarnings(r: ResourceInfo): string[] {
  const w = r.crd ? deprecations.get(`${r.group}/${r.version}/${r.plural}`) : undefined;
  return w ? [w] : [];
}

/** A create of an object of a definition being deleted: 405, as apiextensions answers it. */
export function refuseCreateWhileTerminating(r: ResourceInfo, verb: string): void {
  if (verb !== 'create' || !r.crd || !terminating.has(`${r.group}/${r.plural}`)) return;
  throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating', { group: r.group, kind: r.plural });
}

/** Serves what the stored definitions define, now and on every change; returns the stop function. */
export function serveDefinedResources(store: Store, log: (l: string) => void): () => void {
  const refresh = () => servePaths(definitions(store));
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
    servePaths([]);
  };
}
