// Checks of a request body before it is written: that it is an object of the resource's kind, which
// fields the schema does not know (fieldValidation), and the kind's validation.
import type { KObject } from '../../api/types';
import type { ResourceInfo } from '../../api/resources';
import { apiVersionOf } from '../../api/resources';
import type { Cause } from '../../api/validation';
import { invalidMessage } from '../../api/validation';
import { checkStructure, strictDecodingMessage } from '../../api/schema/structural';
import { errors } from '../status';
import { clone } from './objects';
import type { WriteOptions } from './options';
import { admitCustomObject } from './custom-objects';

/** The body as an object of the resource's kind: a copy, unless the caller handed the body over. */
export function decodeBody(r: ResourceInfo, body: unknown, namespace: string | undefined, owned = false): KObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.badRequest(`the body of the request must be a ${r.kind} object`);
  const obj = (owned ? body : clone(body)) as KObject;
  const av = apiVersionOf(r);
  if (obj.apiVersion !== undefined && obj.apiVersion !== av) {
    throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${av})`);
  }
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw errors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${r.kind})`);
  }
  obj.apiVersion = av;
  obj.kind = r.kind;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  const ns = obj.metadata.namespace;
  if (r.namespaced && namespace && ns && ns !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  return obj;
}

/**
 * Unknown fields: warnings (Warn, the default), an error (Strict) or nothing (Ignore); wrong types always fail.
 * A CRD's object is pruned to its schema and defaulted here (custom-objects.ts).
 */
export function checkFields(r: ResourceInfo, obj: KObject, opts: WriteOptions): string[] {
  const mode = opts.fieldValidation ?? 'Warn';
  if (r.crd) return admitCustomObject(r, obj, mode);
  const res = checkStructure(apiVersionOf(r), r.kind, obj);
  if (res.typeErrors.length) {
    // Decoding into the Go structs fails whatever fieldValidation says, with encoding/json's first error.
    const why = res.decodeError ?? res.typeErrors.map((t) => `${t.field}: ${t.message}`).join(', ');
    throw errors.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${why}`);
  }
  if (mode === 'Ignore' || !res.unknownFields.length) return [];
  if (mode === 'Strict') throw errors.badRequest(strictDecodingMessage(r.kind, r.version, res.unknownFields));
  return res.unknownFields.map((f) => `unknown field "${f}"`);
}

/** 422 Invalid with the validation's causes, if there are any. */
export function throwIfInvalid(r: ResourceInfo, obj: KObject, causes: Cause[]): void {
  if (!causes.length) return;
  const name = obj.metadata?.name ?? '';
  throw errors.invalid(r.kind, r.group, name, invalidMessage(r.kind, r.group, name, causes), causes);
}
