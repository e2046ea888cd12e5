// The stored objects of one resource, read from the store at each call and parsed once per revision: for admission
// steps that consult configuration objects on every write (webhook configurations, admission policies and bindings).
import { storagePrefix, type ResourceInfo } from '../../api/resources';
import type { Store } from '../../store/types';
import { decode } from './objects';

export class ParsedCache<T> {
  private readonly byKey = new Map<string, { rev: number; obj: T }>();
  private readonly prefix: string;

  constructor(private readonly store: Store, r: ResourceInfo) {
    this.prefix = storagePrefix(r);
  }

  /** Whether no object of the resource is stored (a search of the store's sorted keys, nothing listed). */
  empty(): boolean {
    return this.store.count(this.prefix) === 0;
  }

  /** Every stored object of the resource, in the store's key order. */
  all(): T[] {
    const kvs = this.store.list(this.prefix).items;
    if (kvs.length === 0) {
      this.byKey.clear();
      return [];
    }
    const seen = new Set<string>();
    const out = kvs.map((kv) => {
      seen.add(kv.key);
      const hit = this.byKey.get(kv.key);
      if (hit && hit.rev === kv.modRevision) return hit.obj;
      const obj = decode(kv) as unknown as T;
      this.byKey.set(kv.key, { rev: kv.modRevision, obj });
      return obj;
    });
    for (const k of this.byKey.keys()) if (!seen.has(k)) this.byKey.delete(k);
    return out;
  }
}
