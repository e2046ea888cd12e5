// The object a store write's watch event carries, made from the written object itself instead of
// parsing its text again: a copy that is what JSON.parse(JSON.stringify(obj)) would give (undefined
// fields left out, lists' undefined items null, non-finite numbers null, -0 as 0), frozen. Parts of
// `obj` already frozen (managedFields encodings, values taken from a parsed object) are shared.
import type { KObject, StoredObject } from '../../api/types';

const NOT_JSON = Symbol('not JSON');

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function frozenCopy(v: unknown): unknown {
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null; // v + 0 turns -0 into 0
  if (typeof v !== 'object') return NOT_JSON; // bigint: JSON.stringify throws
  if (Object.isFrozen(v)) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const c = skipped(item) ? null : frozenCopy(item);
      if (c === NOT_JSON) return NOT_JSON;
      out[i] = c;
    }
    return Object.freeze(out);
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return NOT_JSON; // a Date, a Map, …: JSON has its own say
  const out = copyFields(v as Record<string, unknown>, undefined);
  return out === NOT_JSON ? out : Object.freeze(out);
}

function copyFields(src: Record<string, unknown>, leaveOut: string | undefined): Record<string, unknown> | typeof NOT_JSON {
  const out: Record<string, unknown> = {};
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k) || k === leaveOut) continue;
    if (k === '__proto__') return NOT_JSON;
    const item = src[k];
    if (skipped(item)) continue;
    const c = frozenCopy(item);
    if (c === NOT_JSON) return NOT_JSON;
    out[k] = c;
  }
  return out;
}

/**
 * `obj` as stored at `revision` and read back (decode: resourceVersion last in metadata), frozen; or
 * undefined when it holds something that is not plain JSON data (the caller parses the text then).
 */
export function frozenStoredCopy(obj: KObject, revision: number): StoredObject | undefined {
  const meta = obj.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta) || Object.getPrototypeOf(meta) !== Object.prototype) return undefined;
  const top = copyFields(obj, 'metadata');
  const m = copyFields(meta, 'resourceVersion');
  if (top === NOT_JSON || m === NOT_JSON) return undefined;
  m.resourceVersion = String(revision);
  // metadata in the place it had in `obj`: JSON keeps the order of the keys.
  const out: Record<string, unknown> = {};
  for (const k in obj) {
    if (k === 'metadata') out.metadata = Object.freeze(m);
    else if (Object.prototype.hasOwnProperty.call(top, k)) out[k] = top[k];
  }
  return Object.freeze(out) as unknown as StoredObject;
}
