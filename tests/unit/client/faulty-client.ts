// The real client with faults a test controls, for the client library's tests.
import type { ApiObject, KList, KObject, WatchEvent } from '../../../main/api/types';
import type { ApiClient, DeleteOpts, ListOptions, PatchKind, PatchOpts, ResourceRef, WatchHandle, WatchOptions, WriteOpts } from '../../../main/client/types';

/**
 * The real client with faults the test controls: watches it can end (as a server timeout or a
 * dropped connection would) and lists that fail. Counts lists and watches.
 */
export class FaultyClient implements ApiClient {
  private readonly open = new Set<{ h: WatchHandle; close: (e?: Error) => void }>();
  lists = 0;
  watches = 0;
  /** Times of list calls (ms). */
  readonly listTimes: number[] = [];
  /** The next this-many lists fail. */
  failLists = 0;
  /** While true, every watch fails at once (an unreachable server). */
  failWatches = false;

  constructor(private readonly c: ApiClient) {}
  get<T extends ApiObject = KObject>(r: ResourceRef, name: string, ns?: string): Promise<T> { return this.c.get<T>(r, name, ns); }
  create<T extends ApiObject = KObject>(r: ResourceRef, o: T, w?: WriteOpts): Promise<T> { return this.c.create<T>(r, o, w); }
  update<T extends ApiObject = KObject>(r: ResourceRef, o: T, w?: WriteOpts): Promise<T> { return this.c.update<T>(r, o, w); }
  patch<T extends ApiObject = KObject>(r: ResourceRef, name: string, p: unknown, k: PatchKind, o?: PatchOpts): Promise<T> {
    return this.c.patch<T>(r, name, p, k, o);
  }
  delete(r: ResourceRef, name: string, o?: DeleteOpts): Promise<KObject> { return this.c.delete(r, name, o); }
  bind(ns: string, pod: string, node: string): Promise<void> { return this.c.bind(ns, pod, node); }
  evict(ns: string, pod: string, g?: number): Promise<void> { return this.c.evict(ns, pod, g); }

  list<T extends ApiObject = KObject>(r: ResourceRef, o?: ListOptions): Promise<KList<T>> {
    this.lists++;
    this.listTimes.push(Date.now());
    if (this.failLists > 0) {
      this.failLists--;
      return Promise.reject(new Error('injected list failure'));
    }
    return this.c.list<T>(r, o);
  }

  watch<T extends ApiObject = KObject>(r: ResourceRef, o: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (err?: Error) => void): WatchHandle {
    this.watches++;
    if (this.failWatches) {
      queueMicrotask(() => onClose(new Error('injected watch failure')));
      return { stop: () => undefined };
    }
    const entry = { h: undefined as unknown as WatchHandle, close: onClose };
    entry.h = this.c.watch<T>(r, o, onEvent, (e) => { this.open.delete(entry); onClose(e); });
    this.open.add(entry);
    return { stop: () => { this.open.delete(entry); entry.h.stop(); } };
  }

  /** Ends every open watch without an error, as a server ending the stream does. */
  dropWatches(): void {
    for (const e of [...this.open]) {
      this.open.delete(e);
      e.h.stop();
      e.close();
    }
  }

  get openWatches(): number {
    return this.open.size;
  }
}
