// Parsed objects by key and revision, held weakly. A write's watch event is parsed once for every
// watcher; the next write's "before" object and the registry's read-for-update are then the same
// revision, already parsed, and copying it is several times cheaper than parsing the text again.
// The revision before the latest is held too: a watch event's old object (for selector transitions)
// is the previous write's object, and its new object has just replaced it here.
// Held by WeakRef: an object stays while a watcher's cache holds it, and costs nothing after.
// A write through `write` tells what object its text encodes: its watch event's object is then a
// frozen copy of that object (json-copy.ts), which is several times cheaper than parsing the text.
import type { KV, Store, StoreEvent } from '../../store/types';
import type { KObject, StoredObject } from '../../api/types';
import { clone, decode, deepFreeze, encode } from './objects';
import { frozenStoredCopy } from './json-copy';

interface Held { revision: number; ref: WeakRef<StoredObject> }
interface Entry { latest: Held; previous?: Held }

export class DecodedObjects {
  private readonly byKey = new Map<string, Entry>();
  /** The objects being written, by key, with the text the store gets. */
  private readonly writing = new Map<string, { text: string; obj: KObject }>();
  /** Each store event's object, made once however many watchers (API watches, the authorizers' indexes) read it. */
  private readonly ofEvent = new WeakMap<StoreEvent, StoredObject>();

  /**
   * Writes `obj` (encoded here) through `put`. While the write is under way, the watch event of
   * exactly this text is made from `obj`, which must not change until `put` settles.
   */
  async write(key: string, obj: KObject, put: (text: string) => Promise<KV>): Promise<KV> {
    const text = encode(obj);
    this.writing.set(key, { text, obj });
    try {
      return await put(text);
    } finally {
      if (this.writing.get(key)?.text === text) this.writing.delete(key);
    }
  }

  /** The frozen object of `key` at `revision`, parsing `value` only when it is not held. */
  frozen(key: string, revision: number, value: string, createRevision: number): StoredObject {
    const held = this.held(key, revision);
    if (held) return held;
    const w = this.writing.get(key);
    const obj = (w && w.text === value ? frozenStoredCopy(w.obj, revision) : undefined)
      ?? deepFreeze(decode({ key, value, createRevision, modRevision: revision }));
    const e = this.byKey.get(key);
    const latest = { revision, ref: new WeakRef(obj) };
    if (!e) this.byKey.set(key, { latest });
    else if (revision > e.latest.revision) this.byKey.set(key, { latest, previous: e.latest });
    else if (!e.previous || revision > e.previous.revision) e.previous = latest;
    return obj;
  }

  /**
   * The frozen object a store event carries: a PUT's new value (held by revision like `frozen`), a DELETE's last value
   * (the key is forgotten). The same object for every caller of the same event.
   */
  eventObject(ev: StoreEvent): StoredObject {
    let o = this.ofEvent.get(ev);
    if (!o) {
      if (ev.type === 'DELETE') {
        o = deepFreeze(decode({ key: ev.key, value: ev.value, createRevision: ev.createRevision, modRevision: ev.revision }));
        this.forget(ev.key);
      } else {
        o = this.frozen(ev.key, ev.revision, ev.value, ev.createRevision);
      }
      this.ofEvent.set(ev, o);
    }
    return o;
  }

  /** The frozen object of `key` at `revision`, if it is still held. */
  held(key: string, revision: number): StoredObject | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    if (e.latest.revision === revision) return e.latest.ref.deref();
    return e.previous?.revision === revision ? e.previous.ref.deref() : undefined;
  }

  /** A private, changeable copy of a stored KV. */
  copy(kv: KV): StoredObject {
    const held = this.held(kv.key, kv.modRevision);
    return held ? clone(held) : decode(kv);
  }

  /**
   * The stored object of a KV to read and not change: the shared frozen one when it is held, else a
   * fresh parse (not frozen, but the caller treats it as read-only all the same).
   */
  readOnly(kv: KV): StoredObject {
    return this.held(kv.key, kv.modRevision) ?? decode(kv);
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
