// The UI's first list of a big kind (pods: 10,000 on a big map), answered from JSON kept up to date instead of made
// anew: listing 10,000 pods from the store, making them lean and encoding them costs the control plane ≈ 1–2 s of
// its one thread (measured with `bench ui --pods 10000`), during which every other call of the UI waits. The cache
// lists once, then follows a watch from that list's resourceVersion, keeping each object's encoded informer form
// (lean-pod.ts) and the revision it is at; a list is then the encoded objects joined, at that revision — exactly what
// the list call would answer at it, so the UI's watch resumes from there as after any list. Both bridges (the web UI's
// WebSocket, the window's IPC) keep it from their start (`warm`: the first page's lists are the ones that matter) to
// their stop; as kube-apiserver's watch cache, it costs a copy of the kind and an encoding per change.
import type { ApiClient, WatchHandle } from '../client/types';
import type { KObject } from '../api/types';
import type { Kind } from './contract';
import type { BridgeSession } from './handlers';
import { resourceOfKind } from './kinds';
import { informerObject } from './lean-pod';
import { keyOf } from '../client/refs';

export interface EncodedListCache {
  /** The kinds it keeps. */
  has(kind: Kind): boolean;
  /** The list call's answer (`{"items":[…],"resourceVersion":"…"}`) as JSON text; starts the kind's cache if needed. */
  listJson(kind: Kind): Promise<string>;
  /** Lists every kind now, to answer the first list from the copy. */
  warm(): void;
  /** Stops every kind's watch and drops its copy (a later list starts it again). */
  stop(): void;
}

interface KindCache {
  /** Encoded objects by namespace/name. */
  entries: Map<string, string>;
  resourceVersion: string;
  /** Resolves once the first list is in (and the watch started); rejects with the list's error. */
  ready: Promise<void>;
  watch?: WatchHandle;
  stopped: boolean;
}

export interface ListCacheOptions {
  /**
   * The store's revision, for a client in the same process as the store (the core's LocalClient): the store hands
   * its watchers every commit's events in the commit's own turn, so in a later turn the copy is the kind as of this
   * revision and the answer says so. Without it the answer's revision is the last change of the kind seen — which, on
   * a kind left unchanged while others are written, falls behind and out of the compaction window (the page's watch
   * from it would be 410 Gone, and its list again the same).
   */
  storeRevision?: () => number;
  log?: (line: string) => void;
}

export function encodedListCache(client: ApiClient, kinds: readonly Kind[], opts: ListCacheOptions = {}): EncodedListCache {
  const log = opts.log ?? (() => undefined);
  const caches = new Map<Kind, KindCache>();

  const encode = (kind: Kind, o: KObject) => JSON.stringify(informerObject(kind, o));

  function follow(kind: Kind, c: KindCache): void {
    c.watch = client.watch(resourceOfKind(kind), { resourceVersion: c.resourceVersion, allowWatchBookmarks: true }, (ev) => {
      if (c.stopped) return;
      const rv = ev.object.metadata?.resourceVersion;
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') c.entries.set(keyOf(ev.object), encode(kind, ev.object));
      else if (ev.type === 'DELETED') c.entries.delete(keyOf(ev.object));
      if (rv && ev.type !== 'ERROR') c.resourceVersion = rv;
    }, (err) => {
      if (c.stopped) return;
      // Lost (a 410 after a long pause, the server stopping): dropped; the next list starts it again from a fresh list.
      if (err) log(`list cache: the ${kind} watch ended (${err.message}); listing again on the next list`);
      drop(kind, c);
    });
  }

  function start(kind: Kind): KindCache {
    const c: KindCache = { entries: new Map(), resourceVersion: '0', ready: Promise.resolve(), stopped: false };
    c.ready = (async () => {
      const l = await client.list(resourceOfKind(kind));
      if (c.stopped) return;
      for (const o of l.items) c.entries.set(keyOf(o), encode(kind, o));
      c.resourceVersion = l.metadata.resourceVersion ?? '0';
      follow(kind, c);
    })();
    c.ready.catch(() => drop(kind, c));
    caches.set(kind, c);
    return c;
  }

  function drop(kind: Kind, c: KindCache): void {
    c.stopped = true;
    c.watch?.stop();
    c.entries.clear();
    if (caches.get(kind) === c) caches.delete(kind);
  }

  function stopAll(): void {
    for (const [kind, c] of [...caches]) drop(kind, c);
  }

  return {
    has: (kind) => kinds.includes(kind),
    async listJson(kind) {
      if (!kinds.includes(kind)) throw new Error(`no list cache for ${kind}`);
      const c = caches.get(kind) ?? start(kind);
      await c.ready;
      if (opts.storeRevision) {
        // A turn of its own: the events of every commit so far have reached the copy (see ListCacheOptions).
        await new Promise((r) => setImmediate(r));
        const now = opts.storeRevision();
        if (now > Number(c.resourceVersion)) c.resourceVersion = String(now);
      }
      if (c.stopped) throw new Error(`the ${kind} list cache stopped while listing`);
      // In the list's order (by namespace, then name), as the store lists.
      const keys = [...c.entries.keys()].sort();
      const items = keys.map((k) => c.entries.get(k)).join(',');
      return `{"items":[${items}],"resourceVersion":${JSON.stringify(c.resourceVersion)}}`;
    },
    warm() {
      for (const kind of kinds) if (!caches.has(kind)) start(kind);
    },
    stop: stopAll,
  };
}

/**
 * A call's value as JSON text if the session keeps it encoded, else undefined (then `call` answers it). Given after
 * the answers to the calls that came with it (a page's first lists come together): the small ones are in the page
 * before the big one ties up its thread.
 */
export async function encodedValue(session: BridgeSession, name: string, req: unknown): Promise<string | undefined> {
  const encoded = await session.encodedCall?.(name, req);
  if (encoded === undefined) return undefined;
  await new Promise((r) => setImmediate(r));
  return encoded;
}
