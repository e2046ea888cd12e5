// An informer: lists a resource, then watches it from the list's resourceVersion, keeping an
// in-memory cache keyed by namespace/name and calling handlers on add / update / delete. A watch
// that ends resumes from the last resourceVersion seen; a 410 Expired re-lists (and reconciles
// the cache, reporting what changed meanwhile). `hasSynced` resolves after the first list.
import type { KObject, WatchEvent } from '../api/types';
import type { ApiClient, ResourceRef, WatchHandle } from '../client/types';
import { ClientError } from '../client/types';
import { keyOf } from './refs';

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  /** `obj` is the last state known. */
  delete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Delay before re-watching after an error (ms). */
  retryMs?: number;
  log?: (line: string) => void;
}

export type IndexFunc<T> = (obj: T) => string[];

/** What an informer needs of an object: its metadata. kubernetes-types kinds all qualify. */
export interface MetaObject {
  metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly uid?: string;
  };
}

export class Informer<T extends MetaObject = KObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly indexers = new Map<string, { fn: IndexFunc<T>; index: Map<string, Map<string, T>> }>();
  private lastRV = '';
  private watch: WatchHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private synced = false;
  private resolveSynced!: () => void;
  readonly hasSynced: Promise<void>;

  constructor(readonly client: ApiClient, readonly ref: ResourceRef, private readonly opts: InformerOptions = {}) {
    this.hasSynced = new Promise((r) => (this.resolveSynced = r));
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Starts listing and watching; returns a disposer that stops. */
  start(): () => void {
    void this.relist();
    return () => this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  addHandler(h: EventHandler<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const o of this.cache.values()) h.add?.(o);
    return () => this.handlers.delete(h);
  }

  /** Maintains an index (e.g. pods by node); query with byIndex. Add before start. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const index = new Map<string, Map<string, T>>();
    this.indexers.set(name, { fn, index });
    for (const [k, o] of this.cache) this.indexAdd(index, fn, k, o);
  }

  byIndex(name: string, value: string): T[] {
    const m = this.indexers.get(name)?.index.get(value);
    return m ? [...m.values()] : [];
  }

  countIndex(name: string, value: string): number {
    return this.indexers.get(name)?.index.get(value)?.size ?? 0;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  values(): IterableIterator<T> {
    return this.cache.values();
  }

  get size(): number {
    return this.cache.size;
  }

  get resourceVersion(): string {
    return this.lastRV;
  }

  private scheduleRetry(fn: () => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(fn, this.opts.retryMs ?? 500);
    this.timer.unref?.();
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    let list;
    try {
      list = await this.client.list<KObject>(this.ref, { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
    } catch (e) {
      this.opts.log?.(`informer ${this.ref.plural}: list failed: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleRetry(() => void this.relist());
      return;
    }
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const item of list.items as unknown as T[]) {
      const k = keyOf(item);
      seen.add(k);
      this.upsert(k, item);
    }
    for (const [k, old] of [...this.cache]) if (!seen.has(k)) this.remove(k, old);
    this.lastRV = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      this.resolveSynced();
    }
    this.startWatch();
  }

  private startWatch(): void {
    if (this.stopped) return;
    this.watch = this.client.watch<KObject>(
      this.ref,
      { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, resourceVersion: this.lastRV, allowWatchBookmarks: true },
      (ev) => this.onEvent(ev as unknown as WatchEvent<KObject> & { object: T }),
      (err) => {
        if (this.stopped) return;
        if (err instanceof ClientError && err.code === 410) return void this.relist();
        if (err) this.opts.log?.(`informer ${this.ref.plural}: watch ended: ${err.message}`);
        this.scheduleRetry(() => this.startWatch());
      },
    );
  }

  private onEvent(ev: { type: WatchEvent['type']; object: T }): void {
    const rv = ev.object.metadata?.resourceVersion;
    if (ev.type === 'ERROR') {
      const code = (ev.object as { code?: unknown }).code;
      this.watch?.stop();
      if (code === 410) void this.relist();
      else this.scheduleRetry(() => this.startWatch());
      return;
    }
    if (rv) this.lastRV = rv;
    if (ev.type === 'BOOKMARK') return;
    const k = keyOf(ev.object);
    if (ev.type === 'DELETED') {
      const old = this.cache.get(k);
      if (old) this.remove(k, ev.object);
      return;
    }
    this.upsert(k, ev.object);
  }

  private upsert(k: string, obj: T): void {
    const old = this.cache.get(k);
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    this.cache.set(k, obj);
    for (const { fn, index } of this.indexers.values()) {
      if (old) this.indexRemove(index, fn, k, old);
      this.indexAdd(index, fn, k, obj);
    }
    for (const h of this.handlers) {
      try {
        if (old) h.update?.(old, obj);
        else h.add?.(obj);
      } catch (e) {
        this.opts.log?.(`informer ${this.ref.plural}: handler failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
  }

  private remove(k: string, last: T): void {
    const old = this.cache.get(k);
    this.cache.delete(k);
    if (old) for (const { fn, index } of this.indexers.values()) this.indexRemove(index, fn, k, old);
    for (const h of this.handlers) {
      try {
        h.delete?.(last);
      } catch (e) {
        this.opts.log?.(`informer ${this.ref.plural}: handler failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private indexAdd(index: Map<string, Map<string, T>>, fn: IndexFunc<T>, k: string, o: T): void {
    for (const v of fn(o)) {
      let m = index.get(v);
      if (!m) index.set(v, (m = new Map()));
      m.set(k, o);
    }
  }

  private indexRemove(index: Map<string, Map<string, T>>, fn: IndexFunc<T>, k: string, o: T): void {
    for (const v of fn(o)) {
      const m = index.get(v);
      if (!m) continue;
      m.delete(k);
      if (!m.size) index.delete(v);
    }
  }
}
