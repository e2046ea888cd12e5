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

  get size(): number {
    return this.m.size;
  }
}
