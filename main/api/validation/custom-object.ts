// A custom object against its CRD version's structural schema, with the messages Kubernetes' OpenAPI
// validation gives (type, required, enum, minimum/maximum, pattern, minLength/maxLength; the rest in custom-object-extras.ts). Only
// spec, status and other top-level fields are checked: apiVersion, kind and metadata are the server's.
import type { JSONSchemaProps } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import { isObj } from './read';
import { checkExtras } from './custom-object-extras';

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

function check(schema: JSONSchemaProps, v: unknown, path: string, causes: Cause[]): void {
  if (v === undefined) return;
  const intOrString = (schema as Record<string, unknown>)['x-kubernetes-int-or-string'] === true;
  if (intOrString && !(typeof v === 'string' || Number.isInteger(v))) {
    causes.push(invalid(path, typeOf(v), `${path} in body must be of type integer,string: "${typeOf(v)}"`));
    return;
  }
  if (schema.type && !intOrString && !(v === null && schema.nullable) && !fits(schema.type, v)) {
    causes.push(invalid(path, typeOf(v), `${path} in body must be of type ${schema.type}: "${typeOf(v)}"`));
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
    if (schema.maxLength !== undefined && len > schema.maxLength) causes.push(invalid(path, v, `${path} in body should be at most ${schema.maxLength} chars long`));
    if (schema.minLength !== undefined && len < schema.minLength) causes.push(invalid(path, v, `${path} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v)) causes.push(invalid(path, v, `${path} in body should match '${schema.pattern}'`));
  }
  checkExtras(schema, v, path, causes);
  if (Array.isArray(v) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items;
    v.forEach((x, i) => check(items, x, `${path}[${i}]`, causes));
  }
  if (isObj(v)) checkObject(schema, v, path, causes);
}

function checkObject(schema: JSONSchemaProps, v: Record<string, unknown>, path: string, causes: Cause[]): void {
  const join = (k: string) => (path ? `${path}.${k}` : k);
  for (const name of schema.required ?? []) if (v[name] === undefined) causes.push(required(join(name), ''));
  for (const [k, x] of Object.entries(v)) {
    const sub = schema.properties?.[k] ?? (isObj(schema.additionalProperties) ? (schema.additionalProperties) : undefined);
    if (sub) check(sub, x, join(k), causes);
  }
}

/** The causes of a custom object's refusal by its schema (its root is the object itself). */
export function validateCustomObject(schema: JSONSchemaProps, obj: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  const rest: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(obj)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') rest[k] = x;
  checkObject({ ...schema, required: (schema.required ?? []).filter((n) => !['apiVersion', 'kind', 'metadata'].includes(n)) }, rest, '', causes);
  return causes;
}
