// Reading untyped wire JSON during validation: narrow without trusting, and report JSON type
// mismatches as FieldValueTypeInvalid causes.
import type { Cause } from './cause';
import { typeInvalid } from './cause';

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
/** Whether an optional field was given (Go's non-nil pointer): present and not null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Wire JSON read against a `kubernetes-types` shape: its field names, each value still unchecked. */
export type Wire<T> = { readonly [K in keyof T]?: unknown };
export function wire<T>(v: unknown): Wire<T> {
  return obj(v);
}
export function strMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

function matches(v: unknown, t: JsonType): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isObj(v);
    case 'array': return Array.isArray(v);
  }
}

/** Check the JSON type of an optional field; pushes a TypeInvalid cause and returns false on mismatch. */
export function checkType(causes: Cause[], field: string, v: unknown, t: JsonType): boolean {
  if (v === undefined || v === null || matches(v, t)) return true;
  causes.push(typeInvalid(field, t, v));
  return false;
}

/** Go's zero-value-aware deep equality (apiequality.Semantic): "", 0, false, null, [] and {} equal absence. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const az = isZero(a);
  const bz = isZero(b);
  if (az || bz) return az && bz;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isObj(a) || !isObj(b)) return false;
  for (const k in a) if (Object.prototype.hasOwnProperty.call(a, k) && !semanticEqual(a[k], hasOwn(b, k) ? b[k] : undefined)) return false;
  for (const k in b) if (Object.prototype.hasOwnProperty.call(b, k) && !hasOwn(a, k) && !isZero(b[k])) return false;
  return true;
}

function hasOwn(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** A zero value: absent, "", 0, false, null, an empty list, or a map whose every value is zero. */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (!isObj(v)) return false;
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && !isZero(v[k])) return false;
  return true;
}
