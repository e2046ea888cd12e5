// Parsed objects by key and revision, held weakly. A write's watch event is parsed once for every
// watcher; the next write's "before" object and the registry's read-for-update are then the same
// revision, already parsed, and copying it is several times cheaper than parsing the text again.
// Held by WeakRef: an object stays while a watcher's cache holds it, and costs nothing after.
import type { KV, Store } from '../../store/types';
import type { StoredObject } from '../../api/types';
import { clone, decode, deepFreeze } from './objects';

interface Entry { revision: number; ref: WeakRef<StoredObject> }

export class DecodedObjects {
  private readonly byKey = new Map<string, Entry>();

  /** The frozen object of `key` at `revision`, parsing `value` only when it is not held. */
  frozen(key: string, revision: number, value: string, createRevision: number): StoredObject {
    const held = this.held(key, revision);
    if (held) return held;
    const obj = deepFreeze(decode({ key, value, createRevision, modRevision: revision }));
    this.byKey.set(key, { revision, ref: new WeakRef(obj) });
    return obj;
  }

  /** The frozen object of `key` at `revision`, if it is still held. */
  held(key: string, revision: number): StoredObject | undefined {
    const e = this.byKey.get(key);
    return e && e.revision === revision ? e.ref.deref() : undefined;
  }

  /** A private, changeable copy of a stored KV. */
  copy(kv: KV): StoredObject {
    const held = this.held(kv.key, kv.modRevision);
    return held ? clone(held) : decode(kv);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}

const perStore = new WeakMap<Store, DecodedObjects>();

/** The one cache of a store (keys and revisions are the store's own). */
export function decodedObjectsOf(store: Store): DecodedObjects {
  let d = perStore.get(store);
  if (!d) perStore.set(store, (d = new DecodedObjects()));
  return d;
}
