// List + watch of one resource into a local cache, as client-go's reflector does: re-watches from
// the last resourceVersion when a watch ends, re-lists on 410 Gone, and reconnects with backoff while
// the API is unreachable (the SSH tunnel may drop). Idle watches are restarted, so a silently dead
// connection is noticed. Consumers get ADDED/MODIFIED/DELETED events, re-lists included (as diffs).
import type { ApiObject, KList } from '../../../main/api/types';
import type { ApiClient, ResourceRef, WatchHandle } from '../../../main/client/types';
import { ClientError } from '../../../main/client/types';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ReflectorOptions<T extends ApiObject> {
  client: ApiClient;
  resource: ResourceRef;
  fieldSelector?: string;
  labelSelector?: string;
  onChange: (type: ChangeType, obj: T, old: T | undefined) => void;
  /** After each successful (re)list, once its events have been delivered. */
  onSynced?: (items: T[]) => void;
  onError?: (err: unknown) => void;
  /** Reconnect backoff: first delay and cap (defaults 200 ms and 10 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Restart a watch that has been silent this long (default 90 s; the server sends bookmarks). */
  idleTimeoutMs?: number;
  /** The server ends each watch after this long (default 300–600 s, random); the reflector re-watches from its resourceVersion. */
  watchTimeoutSeconds?: number;
}

function keyOf(o: ApiObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export class Reflector<T extends ApiObject> {
  private readonly cache = new Map<string, T>();
  private rv = '';
  private watch?: WatchHandle;
  private stopped = false;
  private timer?: ReturnType<typeof setTimeout>;
  private idleTimer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private syncedOnce = false;
  private firstSync: Promise<void>;
  private resolveFirst!: () => void;

  constructor(private readonly o: ReflectorOptions<T>) {
    this.firstSync = new Promise((r) => { this.resolveFirst = r; });
  }

  /** Starts; returns the disposer. */
  start(): () => void {
    void this.list();
    return () => this.stop();
  }

  /** Resolves after the first successful list. */
  synced(): Promise<void> {
    return this.firstSync;
  }

  hasSynced(): boolean {
    return this.syncedOnce;
  }

  items(): T[] {
    return [...this.cache.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(`${namespace ?? ''}/${name}`);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.watch?.stop();
    this.watch = undefined;
  }

  private retry(err: unknown, relist: boolean): void {
    if (this.stopped) return;
    this.o.onError?.(err);
    const base = this.o.backoffMs ?? 200;
    const delay = Math.min(this.o.maxBackoffMs ?? 10_000, base * 2 ** Math.min(this.failures, 10));
    this.failures++;
    this.timer = setTimeout(() => { if (relist) void this.list(); else this.startWatch(); }, delay);
  }

  private async list(): Promise<void> {
    if (this.stopped) return;
    let list: KList<T>;
    try {
      list = await this.o.client.list<T>(this.o.resource, { fieldSelector: this.o.fieldSelector, labelSelector: this.o.labelSelector });
    } catch (err) {
      this.retry(err, true);
      return;
    }
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const item of list.items) {
      const k = keyOf(item);
      seen.add(k);
      const old = this.cache.get(k);
      this.cache.set(k, item);
      if (!old) this.emit('ADDED', item, undefined);
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion || old.metadata?.uid !== item.metadata?.uid) this.emit('MODIFIED', item, old);
    }
    for (const [k, old] of [...this.cache]) {
      if (seen.has(k)) continue;
      this.cache.delete(k);
      this.emit('DELETED', old, old);
    }
    this.rv = list.metadata.resourceVersion ?? '';
    this.syncedOnce = true;
    try { this.o.onSynced?.(list.items); } catch (err) { this.o.onError?.(err); }
    this.resolveFirst();
    this.startWatch();
  }

  private emit(type: ChangeType, obj: T, old: T | undefined): void {
    try { this.o.onChange(type, obj, old); } catch (err) { this.o.onError?.(err); }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.watch?.stop();
      this.watch = undefined;
      this.startWatch();
    }, this.o.idleTimeoutMs ?? 90_000);
  }

  private startWatch(): void {
    if (this.stopped) return;
    this.armIdle();
    const startedAt = Date.now();
    const handle = this.o.client.watch<T>(this.o.resource, {
      resourceVersion: this.rv, fieldSelector: this.o.fieldSelector, labelSelector: this.o.labelSelector,
      allowWatchBookmarks: true, timeoutSeconds: this.o.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
    }, (ev) => {
      if (this.watch !== handle) return;
      this.failures = 0;
      this.armIdle();
      const rv = ev.object.metadata?.resourceVersion;
      if (ev.type === 'BOOKMARK') { if (rv) this.rv = rv; return; }
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
      if (rv) this.rv = rv;
      const k = keyOf(ev.object);
      const old = this.cache.get(k);
      if (ev.type === 'DELETED') {
        this.cache.delete(k);
        this.emit('DELETED', ev.object, old);
      } else {
        this.cache.set(k, ev.object);
        this.emit(old ? 'MODIFIED' : 'ADDED', ev.object, old);
      }
    }, (err) => {
      if (this.watch !== handle) return;
      this.watch = undefined;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (this.stopped) return;
      // The server ended the watch (its timeout): resume from rv; right away unless it ends at once.
      if (!err && Date.now() - startedAt > 1000) { this.startWatch(); return; }
      if (!err) { this.retry(new Error('watch ended immediately'), false); return; }
      const gone = err instanceof ClientError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
      this.retry(err, true);
      if (gone) this.failures = 0;
    });
    this.watch = handle;
  }
}
