// The reflector, as client-go's: lists a resource, then watches it from the list's resourceVersion
// and hands what it learns to a sink (the informer's store). A watch that ends is resumed from the
// last resourceVersion seen (no re-list); a 410 Gone / Expired re-lists; errors are retried with
// jittered exponential backoff; an optional idle timeout restarts a watch that went silent (a dead
// tunnel). Objects are passed on as received: watch events are frozen and shared in-process.
import type { ApiObject, KList } from '../../api/types';
import type { ApiClient, ResourceRef, WatchHandle } from '../types';
import { ClientError } from '../types';
import { Backoff } from '../backoff';
import { isUnreachable } from '../reachability';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Where a reflector puts what it learns. */
export interface ReflectorSink<T> {
  /** The whole current state, after a (re)list. */
  replace(items: T[], resourceVersion: string): void;
  /** One watch event. */
  apply(type: ChangeType, obj: T): void;
}

export interface ListWatchOptions {
  /** Only this namespace (default: all). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ReflectorOptions extends ListWatchOptions {
  /** First retry delay after an error (ms, default 200); doubles per consecutive error up to maxBackoffMs (default 10 s), jittered. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Restart a watch that has been silent this long (ms; default never). Use with servers that send bookmarks. */
  idleTimeoutMs?: number;
  /** Ask the server to end each watch after this long (default 300–600 s, random, as client-go); it is resumed from its resourceVersion. */
  watchTimeoutSeconds?: number;
  /** Errors the reflector recovers from (failed lists, dropped watches). */
  onError?: (err: unknown) => void;
  /** Called when a list or watch is taken by the server again after errors (the server is back). */
  onRecover?: () => void;
  /** Stops the reflector when aborted. */
  signal?: AbortSignal;
}

/** A watch that lasted less than this and ended without an error counts as a failure (backoff). */
const MIN_HEALTHY_WATCH_MS = 1000;

export function isGone(err: unknown): boolean {
  return err instanceof ClientError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

export class Reflector<T extends ApiObject> {
  private rv = '';
  private watch?: WatchHandle;
  private stopped = false;
  private timer?: ReturnType<typeof setTimeout>;
  private idleTimer?: ReturnType<typeof setTimeout>;
  /** While in back-off after the server was unreachable: stops waiting for it to be reachable again. */
  private unwake?: () => void;
  private readonly backoff: Backoff;
  /** Since an error, until a list or watch is taken again. */
  private failing = false;
  /** Lists done so far (for tests and diagnostics). */
  lists = 0;

  constructor(
    private readonly client: ApiClient, readonly resource: ResourceRef, private readonly sink: ReflectorSink<T>, private readonly o: ReflectorOptions = {},
  ) {
    this.backoff = new Backoff(o.backoffMs ?? 200, o.maxBackoffMs ?? 10_000);
    o.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get resourceVersion(): string {
    return this.rv;
  }

  /** Lists, then watches; returns a disposer that stops. */
  run(): () => void {
    if (!this.o.signal?.aborted) void this.list();
    return () => this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.unwake?.();
    this.unwake = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.watch?.stop();
    this.watch = undefined;
  }

  private get selection(): ListWatchOptions {
    return { namespace: this.o.namespace, labelSelector: this.o.labelSelector, fieldSelector: this.o.fieldSelector };
  }

  private retry(err: unknown, next: () => void): void {
    if (this.stopped) return;
    this.failing = true;
    this.o.onError?.(err);
    // The server unreachable: retried at the back-off's step, or as soon as it takes connections again if sooner.
    const go = (): void => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.unwake?.();
      this.unwake = undefined;
      if (!this.stopped) next();
    };
    this.timer = setTimeout(go, this.backoff.next());
    this.timer.unref?.();
    if (isUnreachable(err) && this.client.whenReachable) this.unwake = this.client.whenReachable(go);
  }

  private async list(): Promise<void> {
    if (this.stopped) return;
    let list: KList<T>;
    try {
      this.lists++;
      list = await this.client.list<T>(this.resource, this.selection);
    } catch (err) {
      this.retry(err, () => void this.list());
      return;
    }
    if (this.stopped) return;
    this.backoff.reset();
    this.recovered();
    this.rv = list.metadata.resourceVersion ?? '';
    this.sink.replace(list.items, this.rv);
    this.startWatch();
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.o.onRecover?.();
  }

  private armIdle(): void {
    const ms = this.o.idleTimeoutMs;
    if (!ms) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.watch?.stop();
      this.watch = undefined;
      this.startWatch();
    }, ms);
    this.idleTimer.unref?.();
  }

  private startWatch(): void {
    if (this.stopped) return;
    this.armIdle();
    const startedAt = Date.now();
    const handle: WatchHandle = this.client.watch<T>(this.resource, {
      ...this.selection, resourceVersion: this.rv, allowWatchBookmarks: true,
      timeoutSeconds: this.o.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
      onOpen: () => { if (this.watch === handle && !this.stopped) this.recovered(); },
    }, (ev) => {
      if (this.watch !== handle || this.stopped) return;
      if (ev.type === 'ERROR') {
        const st = ev.object as { code?: number; reason?: string; message?: string };
        handle.stop();
        closed(new ClientError(st.code ?? 500, st.reason ?? 'InternalError', st.message ?? 'watch error'));
        return;
      }
      this.backoff.reset();
      this.armIdle();
      const rv = ev.object.metadata?.resourceVersion;
      if (rv) this.rv = rv;
      if (ev.type === 'BOOKMARK') return;
      this.sink.apply(ev.type, ev.object);
    }, (err) => closed(err));
    const closed = (err?: Error): void => {
      if (this.watch !== handle) return;
      this.watch = undefined;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (this.stopped) return;
      if (isGone(err)) {
        // The resourceVersion was compacted away: only a fresh list can catch up.
        this.o.onError?.(err);
        void this.list();
        return;
      }
      // The server ended the watch (its timeout): resume from rv at once, unless it ended at once.
      if (!err && Date.now() - startedAt > MIN_HEALTHY_WATCH_MS) return this.startWatch();
      this.retry(err ?? new Error(`watch of ${this.resource.plural} ended immediately`), () => this.startWatch());
    };
    this.watch = handle;
  }
}
