// A small LRU map (groupcache's lru.Cache, as client-go's event caches use): get refreshes an
// entry, set evicts the least recently used entry beyond the capacity.

export class Lru<K, V> {
  private readonly m = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const v = this.m.get(key);
    if (v !== undefined) {
      this.m.delete(key);
      this.m.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.m.delete(key);
    this.m.set(key, value);
    if (this.m.size > this.capacity) this.m.delete(this.m.keys().next().value as K);
  }

  /**
   * Drops least recently used entries while `stale` says so, at most `max` of them; stops at the first it keeps.
   * For entries that, once old, mean no more than a missing one: a long-running process then keeps only live ones.
   */
  evictOldestWhile(stale: (value: V) => boolean, max: number): void {
    for (const [k, v] of this.m) {
      if (max-- <= 0 || !stale(v)) return;
      this.m.delete(k);
    }
  }

  get size(): number {
    return this.m.size;
  }
}
