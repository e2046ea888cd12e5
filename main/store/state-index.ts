// The current state (key → KV) held in memory: a Map for get, plus the keys in sorted order for
// prefix lists with paging and O(log n) counts.
import { compareKeys } from './key-order';
import type { KV } from './types';

export interface Page {
  items: KV[];
  more: boolean;
}

export class StateIndex {
  private readonly byKey = new Map<string, KV>();
  /** Every key of byKey, in compareKeys order. */
  private readonly sorted: string[] = [];

  /** Builds the index from KVs already in key order (as SQLite returns them). */
  static fromSorted(kvs: Iterable<KV>): StateIndex {
    const index = new StateIndex();
    for (const kv of kvs) {
      index.byKey.set(kv.key, Object.freeze(kv));
      index.sorted.push(kv.key);
    }
    return index;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): KV | undefined {
    return this.byKey.get(key);
  }

  set(kv: KV): void {
    if (!this.byKey.has(kv.key)) this.sorted.splice(this.lowerBound(kv.key), 0, kv.key);
    this.byKey.set(kv.key, Object.freeze(kv));
  }

  remove(key: string): void {
    if (!this.byKey.delete(key)) return;
    this.sorted.splice(this.lowerBound(key), 1);
  }

  /** Keys under `prefix`, strictly after `startAfter` when given; `limit` <= 0 means no limit. */
  list(prefix: string, startAfter?: string, limit?: number): Page {
    let i =
      startAfter !== undefined && compareKeys(startAfter, prefix) >= 0
        ? this.upperBound(startAfter)
        : this.lowerBound(prefix);
    const max = limit !== undefined && limit > 0 ? limit : Infinity;
    const items: KV[] = [];
    for (; i < this.sorted.length; i++) {
      const key = this.sorted[i];
      if (!key.startsWith(prefix)) break;
      if (items.length >= max) return { items, more: true };
      const kv = this.byKey.get(key);
      if (kv) items.push(kv);
    }
    return { items, more: false };
  }

  count(prefix: string): number {
    if (prefix === '') return this.sorted.length;
    const start = this.lowerBound(prefix);
    // Keys under a prefix are contiguous: find the first one after them.
    let lo = start;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid].startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo - start;
  }

  /** First index whose key is >= key. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose key is > key. */
  private upperBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
