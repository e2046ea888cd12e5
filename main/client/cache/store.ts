// The informer's indexed store (client-go's Indexer): objects by namespace/name key, plus named
// indexes (e.g. pods by node). Objects are kept as received (frozen, shared): copy before mutating.
import { keyFor } from '../refs';

/** What a cache needs of an object: its metadata. kubernetes-types kinds all qualify. */
export interface MetaObject {
  metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly uid?: string;
  };
}

export type IndexFunc<T> = (obj: T) => string[];

interface Index<T> {
  fn: IndexFunc<T>;
  byValue: Map<string, Map<string, T>>;
}

export class Store<T extends MetaObject> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  /** Maintains an index; query it with byIndex. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const index: Index<T> = { fn, byValue: new Map() };
    this.indexes.set(name, index);
    for (const [k, o] of this.items) indexAdd(index, k, o);
  }

  byIndex(name: string, value: string): T[] {
    const m = this.indexes.get(name)?.byValue.get(value);
    return m ? [...m.values()] : [];
  }

  countIndex(name: string, value: string): number {
    return this.indexes.get(name)?.byValue.get(value)?.size ?? 0;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(keyFor(namespace, name));
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  list(): T[] {
    return [...this.items.values()];
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  get size(): number {
    return this.items.size;
  }

  /** Stores obj under key; returns what was there. */
  set(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const index of this.indexes.values()) {
      if (old) indexRemove(index, key, old);
      indexAdd(index, key, obj);
    }
    return old;
  }

  /** Removes key; returns what was there. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    for (const index of this.indexes.values()) indexRemove(index, key, old);
    return old;
  }
}

function indexAdd<T>(index: Index<T>, k: string, o: T): void {
  for (const v of index.fn(o)) {
    let m = index.byValue.get(v);
    if (!m) index.byValue.set(v, (m = new Map<string, T>()));
    m.set(k, o);
  }
}

function indexRemove<T>(index: Index<T>, k: string, o: T): void {
  for (const v of index.fn(o)) {
    const m = index.byValue.get(v);
    if (!m) continue;
    m.delete(k);
    if (!m.size) index.byValue.delete(v);
  }
}
