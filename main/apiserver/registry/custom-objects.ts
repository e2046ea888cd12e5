// Objects of the resources CRDs define, between the request and the store: a write's metadata is what Go's ObjectMeta
// keeps of it (no nulls or empty labels), the rest is pruned to its version's schema (the dropped fields reported as
// fieldValidation asks) and defaulted, and stored in the CRD's storage version; a read from storage is served in the
// requested version (conversion None: the apiVersion rewritten; a conversion webhook's objects are converted by
// registry/crd-converted.ts) and defaulted again, as apiextensions does on every read.
import type { ResourceInfo } from '../../api/resources';
import type { KObject } from '../../api/types';
import { checkStructureOf, strictDecodingMessage } from '../../api/schema/structural';
import { pruneCustomObject } from '../../api/schema/custom-pruning';
import { roundTripAsGoOf } from '../../api/schema/go-round-trip';
import { defaultCustomObject } from '../../api/schema/custom-defaulting';
import { errors } from '../status';
import type { FieldValidation } from './options';

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/**
 * Prunes and defaults a custom object about to be written, in place. Unknown fields (pruned ones and unknown
 * metadata fields) are warnings (Warn), a 400 (Strict) or nothing (Ignore); a metadata field of the wrong type is a 400.
 */
export function admitCustomObject(r: ResourceInfo, obj: KObject, mode: FieldValidation): string[] {
  const meta = checkStructureOf('V1ObjectMeta', obj.metadata, 'metadata');
  if (meta.typeErrors.length) {
    throw errors.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${meta.typeErrors.map((t) => `${t.field}: ${t.message}`).join(', ')}`);
  }
  roundTripAsGoOf('V1ObjectMeta', obj.metadata); // apiextensions sets the metadata back from its Go ObjectMeta
  const unknown = [...meta.unknownFields, ...(r.schema ? pruneCustomObject(r.schema, obj) : [])];
  if (r.schema) defaultCustomObject(r.schema, obj);
  if (mode === 'Ignore' || !unknown.length) return [];
  if (mode === 'Strict') throw errors.badRequest(strictDecodingMessage(r.kind, r.version, unknown));
  return unknown.map((f) => `unknown field "${f}"`);
}

/** The object as stored: in the CRD's storage version (a shallow copy when that differs from the row's). */
export function inStorageVersion<T extends KObject>(r: ResourceInfo, obj: T): T {
  if (!r.crd || !r.storageVersion || r.storageVersion === r.version) return obj;
  if (r.conversionWebhook) {
    // A conversion webhook's objects change version only through it: one read from storage and written back (a
    // deletion's, a finalizer's) keeps its version; a body in this row's version must have been converted first.
    if (obj.apiVersion !== groupVersion(r.group, r.version)) return obj;
    throw errors.internal(`${r.kind} objects of ${groupVersion(r.group, r.version)} must be converted to ${r.storageVersion} by the conversion webhook before they are stored`);
  }
  return { ...obj, apiVersion: groupVersion(r.group, r.storageVersion) };
}

/** A private copy of a stored object, served in the row's version and defaulted by its schema (changed in place). */
export function asServed<T extends KObject>(r: ResourceInfo, obj: T): T {
  if (!r.crd) return obj;
  const served = groupVersion(r.group, r.version);
  // One stored in another version changes version only through the conversion webhook (registry/crd-converted.ts).
  if (r.conversionWebhook && obj.apiVersion !== served) return obj;
  obj.apiVersion = served;
  if (r.schema) defaultCustomObject(r.schema, obj);
  return obj;
}
