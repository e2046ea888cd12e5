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
  // Values equal key by key (the usual case: an update that leaves the field alone) normalize equally.
  if (sameValue(a, b)) return true;
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Plain deep equality, undefined-valued keys counting as absent; implies equal normal forms. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Obj;
  const bo = b as Obj;
  let defined = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, k) || ao[k] === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !sameValue(ao[k], bo[k])) return false;
    defined++;
  }
  for (const k in bo) if (Object.prototype.hasOwnProperty.call(bo, k) && bo[k] !== undefined) defined--;
  return defined === 0;
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize(v[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (v === '' || v === 0 || v === false || v === null) return undefined;
  return v;
}
