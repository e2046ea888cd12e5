// An informer, as client-go's: a reflector feeding an indexed store keyed namespace/name, with
// handlers called on add / update / delete. A re-list reconciles the store (what vanished meanwhile
// is reported deleted with its last known state). `hasSynced` resolves after the first list; an
// optional resync period re-delivers every object as an update (old === new). Objects are frozen
// and shared: handlers must copy before changing one.
import type { KObject } from '../../api/types';
import type { ApiClient, ResourceRef } from '../types';
import { keyOf } from '../refs';
import type { ChangeType, ReflectorOptions } from './reflector';
import { Reflector } from './reflector';
import type { IndexFunc, MetaObject } from './store';
import { Store } from './store';

export type { IndexFunc, MetaObject };

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  /** `obj` is the last state known. */
  delete?(obj: T): void;
}

export interface InformerOptions extends ReflectorOptions {
  /** Re-deliver every cached object to the handlers as an update this often (ms; default never). */
  resyncMs?: number;
}

export class Informer<T extends MetaObject = KObject> {
  private readonly store = new Store<T>();
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly reflector: Reflector<T & KObject>;
  private resyncTimer?: ReturnType<typeof setInterval>;
  private synced = false;
  private resolveSynced!: () => void;
  readonly hasSynced: Promise<void>;

  constructor(readonly client: ApiClient, readonly ref: ResourceRef, private readonly opts: InformerOptions = {}) {
    this.hasSynced = new Promise((r) => (this.resolveSynced = r));
    this.reflector = new Reflector<T & KObject>(client, ref, {
      replace: (items) => this.replace(items),
      apply: (type, obj) => this.apply(type, obj),
    }, opts);
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Starts listing and watching; returns a disposer that stops. */
  start(): () => void {
    const stopReflector = this.reflector.run();
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs);
      this.resyncTimer.unref?.();
    }
    return () => {
      stopReflector();
      this.stop();
    };
  }

  stop(): void {
    this.reflector.stop();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  /** Adds handlers; if already synced, `add` is called for every cached object. Returns a remover. */
  addHandler(h: EventHandler<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const o of this.store.values()) this.call(() => h.add?.(o));
    return () => this.handlers.delete(h);
  }

  /** Maintains an index (e.g. pods by node); query with byIndex. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.store.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  countIndex(name: string, value: string): number {
    return this.store.countIndex(name, value);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.store.getByName(namespace, name);
  }

  list(): T[] {
    return this.store.list();
  }

  values(): IterableIterator<T> {
    return this.store.values();
  }

  get size(): number {
    return this.store.size;
  }

  /** The last resourceVersion the reflector saw. */
  get resourceVersion(): string {
    return this.reflector.resourceVersion;
  }

  /** Lists done so far (the first, and one per 410). */
  get lists(): number {
    return this.reflector.lists;
  }

  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const k = keyOf(item);
      seen.add(k);
      this.upsert(k, item);
    }
    for (const k of [...this.store.keys()]) if (!seen.has(k)) this.remove(k);
    if (!this.synced) {
      this.synced = true;
      this.resolveSynced();
    }
  }

  private apply(type: ChangeType, obj: T): void {
    const k = keyOf(obj);
    if (type === 'DELETED') this.remove(k, obj);
    else this.upsert(k, obj);
  }

  private upsert(k: string, obj: T): void {
    const old = this.store.get(k);
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    this.store.set(k, obj);
    for (const h of this.handlers) this.call(() => (old ? h.update?.(old, obj) : h.add?.(obj)));
  }

  private remove(k: string, last?: T): void {
    const old = this.store.delete(k);
    if (!old) return;
    for (const h of this.handlers) this.call(() => h.delete?.(last ?? old));
  }

  private resync(): void {
    for (const o of this.store.values()) for (const h of this.handlers) this.call(() => h.update?.(o, o));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.onError?.(new Error(`informer ${this.ref.plural}: handler failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    }
  }
}
