// Small helpers for stored objects: encoding (resourceVersion = the store's modRevision, injected
// on read, never stored), timestamps, names.
import { randomInt } from 'node:crypto';
import type { KV } from '../../store/types';
import type { KObject, StoredObject } from '../../api/types';

export function decode(kv: KV): StoredObject {
  const obj = JSON.parse(kv.value) as StoredObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** Serialises an object for the store, without its resourceVersion. */
export function encode(obj: KObject): string {
  const meta = obj.metadata;
  if (meta && meta.resourceVersion !== undefined) {
    // Set to undefined (which JSON leaves out) rather than deleted: `delete` would make metadata a slow dictionary object.
    const rv = meta.resourceVersion;
    meta.resourceVersion = undefined;
    try {
      return JSON.stringify(obj);
    } finally {
      meta.resourceVersion = rv;
    }
  }
  return JSON.stringify(obj);
}

// Writes come many to a second: the last second's text is kept.
let lastSecond = NaN;
let lastStamp = '';

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function timestamp(d: Date = new Date()): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond || lastStamp === '') {
    lastStamp = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

/** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime (leases, managedFields use Time). */
export function microTimestamp(d: Date = new Date()): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, as Kubernetes' simple name generator does. */
export function generateName(base: string): string {
  const prefix = base.length > 58 ? base.slice(0, 58) : base;
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return prefix + s;
}

export { deepEqual } from '../../api/deep-equal';

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specPart(obj: KObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') out[k] = v;
  }
  return out;
}

/** Freezes an object and everything in it: watch events are shared by every watcher, read-only. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) deepFreeze(v[i]);
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) deepFreeze(o[k]);
    }
  }
  return v;
}

/**
 * A deep copy of a JSON-like value (plain objects, arrays, primitives; undefined-valued keys kept).
 * Anything else inside (a Date, a typed array) is copied by structuredClone, as before; plain data,
 * which is all the API handles, is copied by hand because that is several times faster.
 */
export function clone<T>(v: T): T {
  return copyValue(v) as T;
}

function copyValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyValue(v[i]);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyValue(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = copyValue(src[k]);
  }
  return out;
}
