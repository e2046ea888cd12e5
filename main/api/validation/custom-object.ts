// A custom object against its CRD version's structural schema, with the messages Kubernetes' OpenAPI
// validation gives (type, required, enum, minimum/maximum, pattern, minLength/maxLength; the rest in custom-object-extras.ts). Only
// spec, status and other top-level fields are checked: apiVersion, kind and metadata are the server's. On an update, a
// value the update left as it was is not judged again (validation ratcheting: ratcheting.ts).
import type { JSONSchemaProps } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required, tooLong, typeInvalid } from './cause';
import { isObj } from './read';
import { checkExtras } from './custom-object-extras';
import { correlatedField, correlatedItem, unchanged } from './ratcheting';

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fits(type: string, v: unknown): boolean {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

/** `old`: the value correlated with `v` in the stored object, on updates (undefined when there is none). */
function check(schema: JSONSchemaProps, v: unknown, path: string, causes: Cause[], old?: unknown): void {
  if (v === undefined || unchanged(v, old)) return;
  const intOrString = (schema as Record<string, unknown>)['x-kubernetes-int-or-string'] === true;
  if (intOrString && !(typeof v === 'string' || Number.isInteger(v))) {
    causes.push(typeInvalid(path, 'integer,string', v));
    return;
  }
  if (schema.type && !intOrString && !(v === null && schema.nullable) && !fits(schema.type, v)) {
    causes.push(typeInvalid(path, schema.type, v));
    return;
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    causes.push(notSupported(path, v, schema.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? v <= schema.minimum : v < schema.minimum)) {
      causes.push(invalid(path, v, `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? v >= schema.maximum : v > schema.maximum)) {
      causes.push(invalid(path, v, `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
    }
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) causes.push(tooLong(path, schema.maxLength));
    if (schema.minLength !== undefined && len < schema.minLength) causes.push(invalid(path, v, `${path} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) causes.push(invalid(path, v, `${path} in body should match '${schema.pattern}'`));
  }
  checkExtras(schema, v, path, causes);
  if (Array.isArray(v) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items;
    v.forEach((x, i) => check(items, x, `${path}[${i}]`, causes, correlatedItem(schema, old, x)));
  }
  if (isObj(v)) checkObject(schema, v, path, causes, old);
}

function checkObject(schema: JSONSchemaProps, v: Record<string, unknown>, path: string, causes: Cause[], old?: unknown): void {
  const join = (k: string) => (path ? `${path}.${k}` : k);
  for (const name of schema.required ?? []) if (v[name] === undefined) causes.push(required(join(name), ''));
  for (const [k, x] of Object.entries(v)) {
    const sub = schema.properties?.[k] ?? (isObj(schema.additionalProperties) ? (schema.additionalProperties) : undefined);
    if (sub) check(sub, x, join(k), causes, correlatedField(v, old, k));
  }
}

const withoutTypeAndMeta = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata'));

/** The causes of a custom object's refusal by its schema (its root is the object itself); `old`, the stored object on updates. */
export function validateCustomObject(schema: JSONSchemaProps, obj: Record<string, unknown>, old?: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  // The root is the whole object, metadata included (a finalizer's removal changes it; its fields stay unchanged).
  if (old && unchanged({ ...obj, apiVersion: undefined, kind: undefined }, { ...old, apiVersion: undefined, kind: undefined })) return causes;
  const rest = withoutTypeAndMeta(obj);
  checkObject({ ...schema, required: (schema.required ?? []).filter((n) => !['apiVersion', 'kind', 'metadata'].includes(n)) }, rest, '', causes, old && withoutTypeAndMeta(old));
  return causes;
}
