// Small helpers for JSON values handled as `unknown`: narrowing, deep copy, deep equality, Go-like printing.

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Keys come from requests: "__proto__" must stay an ordinary own property, never reach a prototype.
export function hasOwn(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function getOwn(o: JsonObject, key: string): unknown {
  return hasOwn(o, key) ? o[key] : undefined;
}

export function setKey(o: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = deepClone(v[i]);
    return out as T;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k in v) {
      if (!hasOwn(v, k)) continue;
      if (k === '__proto__') setKey(out, k, deepClone(v[k]));
      else out[k] = deepClone(v[k]);
    }
    return out as T;
  }
  return v;
}

export { deepEqual } from '../../api/deep-equal';

/** The JSON "kind" of a value, as Go's reflect would tell map / slice / string / float64 / bool / nil apart. */
export function jsonKind(v: unknown): 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (isObject(v)) return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'number';
}

/** A compact rendering of a value for error messages (`map[name:x]`-like, but JSON). */
export function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'null' : s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

/** JSON as Go's encoding/json writes a map: keys sorted, and <, >, &, U+2028, U+2029 escaped. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
