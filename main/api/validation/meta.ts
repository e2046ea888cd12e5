// ObjectMeta validation (ValidateObjectMetaAccessor / ValidateObjectMetaUpdate) and the name rules.
import type { ObjectMeta } from '../types';
import { validateLabels } from '../labels';
import type { Cause } from './cause';
import { forbidden, immutable, invalid, required, tooLong } from './cause';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, utf8Length } from './names';
import { checkType, list, obj, str, strMap } from './read';

/** Validates a name; `prefix` is true for generateName (a trailing '-' is allowed). */
export type NameFn = (name: string, prefix: boolean) => string[];

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameFn = (n, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(n) : n);
export const nameIsDNSLabel: NameFn = (n, prefix) => isDNS1123Label(prefix ? maskTrailingDash(n) : n);
export const nameIsDNS1035Label: NameFn = (n, prefix) => isDNS1035Label(prefix ? maskTrailingDash(n) : n);

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): Cause[] {
  const causes: Cause[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) causes.push(invalid(path, k, m));
    size += utf8Length(k) + utf8Length(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

export function validateFinalizers(finalizers: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const names = list(finalizers).map(str);
  for (const f of names) for (const m of isQualifiedName(f)) causes.push(invalid(path, f, m));
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    causes.push(invalid(path, names, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return causes;
}

function validateOwnerReferences(refs: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  let controllers = 0;
  for (const r of list(refs)) {
    const ref = obj(r);
    const apiVersion = str(ref.apiVersion);
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) causes.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!str(ref.kind)) causes.push(invalid(`${path}.kind`, str(ref.kind), 'kind must not be empty'));
    if (!str(ref.name)) causes.push(invalid(`${path}.name`, str(ref.name), 'name must not be empty'));
    if (!str(ref.uid)) causes.push(invalid(`${path}.uid`, str(ref.uid), 'uid must not be empty'));
    if (ref.controller === true) controllers++;
  }
  if (controllers > 1) {
    causes.push(invalid(path, `${controllers} controllers`, 'Only one reference can have Controller set to true'));
  }
  return causes;
}

export interface MetaOptions {
  namespaced: boolean;
  nameFn: NameFn;
}

/** Validate metadata on create (and as part of every update). */
export function validateObjectMeta(metaIn: ObjectMeta | undefined, opts: MetaOptions, path = 'metadata'): Cause[] {
  const causes: Cause[] = [];
  const meta = obj(metaIn);
  for (const [k, t] of [['name', 'string'], ['generateName', 'string'], ['namespace', 'string'], ['labels', 'object'], ['annotations', 'object'], ['finalizers', 'array'], ['ownerReferences', 'array']] as const) {
    checkType(causes, `${path}.${k}`, meta[k], t);
  }
  const generateName = str(meta.generateName);
  if (generateName) for (const m of opts.nameFn(generateName, true)) causes.push(invalid(`${path}.generateName`, generateName, m));
  const name = str(meta.name);
  if (!name) causes.push(required(`${path}.name`, 'name or generateName is required'));
  else for (const m of opts.nameFn(name, false)) causes.push(invalid(`${path}.name`, name, m));
  const ns = str(meta.namespace);
  if (opts.namespaced) {
    if (!ns) causes.push(required(`${path}.namespace`));
    else for (const m of nameIsDNSLabel(ns, false)) causes.push(invalid(`${path}.namespace`, ns, m));
  } else if (ns) {
    causes.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) causes.push(invalid(`${path}.generation`, meta.generation, 'must be greater than or equal to 0'));
  causes.push(...validateLabels(strMap(meta.labels), `${path}.labels`));
  causes.push(...validateAnnotations(strMap(meta.annotations), `${path}.annotations`));
  causes.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  causes.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return causes;
}

/**
 * Metadata checks specific to an update: name, namespace and uid are immutable. An empty uid in
 * the new object means "not sent" (the server keeps the stored one) and is not an error.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined, path = 'metadata'): Cause[] {
  const causes: Cause[] = [];
  const n = obj(newMeta);
  const o = obj(oldMeta);
  if (str(n.name) !== str(o.name)) causes.push(immutable(`${path}.name`, str(n.name)));
  if (str(n.namespace) !== str(o.namespace)) causes.push(immutable(`${path}.namespace`, str(n.namespace)));
  if (str(n.uid) && str(n.uid) !== str(o.uid)) causes.push(immutable(`${path}.uid`, str(n.uid)));
  return causes;
}
