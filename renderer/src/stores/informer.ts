// An informer as a Pinia store: list, then one watch per kind into a shallowRef<Map>, resumed from
// the last resourceVersion after a reconnect or a closed watch (listing again only on 410 Gone).
// The map changes at once; views hear of it at most once a frame (a burst of watch events over
// 10,000 pods re-renders once, not once per event). Views that keep something derived from every object (the map's pods
// by node, counts) subscribe to the changes themselves and update only what changed (`subscribe`).
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, triggerRef } from 'vue';
import type { KObject } from '../../../main/api/types';
import type { BridgeEvents, Kind, WatchEventItem } from '../../../main/bridge/contract';
import { BridgeCallError, call, errorMessage, onEvent, onReconnect } from '../bridge/client';

export function objectKey(o: KObject): string {
  const m = o.metadata;
  return m?.namespace ? `${m.namespace}/${m.name ?? ''}` : m?.name ?? '';
}

/** One object's change: before and after (undefined: absent). */
export type Change<T> = readonly [before: T | undefined, after: T | undefined];

/** What a subscriber is told: each batch of changes as the informer applies it, and `reset` when it lists anew. */
export interface ChangeListener<T> {
  changes(changes: ReadonlyArray<Change<T>>): void;
  reset(): void;
}

const RETRY_MS = 1000;
/** Views are told of changes at most this often. */
const FRAME_MS = 16;

export function createInformerStore<T extends KObject>(kind: Kind) {
  return defineStore(`informer:${kind}`, () => {
    const items = shallowRef(new Map<string, T>());
    /** True once the first list has arrived. */
    const synced = ref(false);
    const error = ref<string | undefined>();
    let resourceVersion = '0';
    let watchId: string | undefined;
    let running = false;
    let generation = 0;
    const disposers: Array<() => void> = [];
    /** Events that arrived before their watch call answered. */
    const early = new Map<string, BridgeEvents['watch'][]>();
    const listeners = new Set<ChangeListener<T>>();
    let lastNotice = -Infinity;
    let noticeTimer: ReturnType<typeof setTimeout> | undefined;
    /** triggerRef now if a frame has passed since the last one, else once at the end of this frame. */
    const notice = () => {
      if (noticeTimer !== undefined) return;
      const since = performance.now() - lastNotice;
      if (since >= FRAME_MS) {
        lastNotice = performance.now();
        triggerRef(items);
        return;
      }
      noticeTimer = setTimeout(() => {
        noticeTimer = undefined;
        lastNotice = performance.now();
        triggerRef(items);
      }, FRAME_MS - since);
    };

    const apply = (events: WatchEventItem[]) => {
      if (events.length === 0) return;
      const map = items.value;
      const changes: Array<Change<T>> = [];
      for (const ev of events) {
        const rv = ev.object.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        const key = objectKey(ev.object);
        const before = map.get(key);
        if (ev.type === 'DELETED') {
          map.delete(key);
          if (before) changes.push([before, undefined]);
        } else {
          const after = markRaw(ev.object) as T;
          map.set(key, after);
          changes.push([before, after]);
        }
      }
      if (changes.length) for (const l of listeners) l.changes(changes);
      notice();
    };

    const handle = (p: BridgeEvents['watch']) => {
      apply(p.events);
      if (p.closed) {
        watchId = undefined;
        const gone = p.closed.error?.code === 410;
        if (p.closed.error && !gone) error.value = p.closed.error.message;
        void restart(gone, p.closed.error ? RETRY_MS : 0);
      }
    };

    const relist = async () => {
      const l = await call('list', { kind });
      const map = new Map<string, T>();
      for (const o of l.items) map.set(objectKey(o), markRaw(o) as T);
      items.value = map;
      for (const x of listeners) x.reset();
      resourceVersion = l.resourceVersion;
      if (!synced.value) performance.mark(`flotilla:synced:${kind}`);
      synced.value = true;
    };

    const watch = async (gen: number) => {
      const r = await call('watch', { kind, resourceVersion });
      if (gen !== generation || !running) {
        void call('unwatch', { watchId: r.watchId }).catch(() => undefined);
        return;
      }
      watchId = r.watchId;
      error.value = undefined;
      const pending = early.get(r.watchId) ?? [];
      early.clear();
      for (const p of pending) handle(p);
    };

    async function restart(needList: boolean, delayMs: number): Promise<void> {
      const gen = ++generation;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (gen !== generation || !running) return;
      try {
        if (needList || !synced.value) await relist();
        if (gen !== generation || !running) return;
        await watch(gen);
      } catch (e) {
        if (gen !== generation || !running) return;
        error.value = errorMessage(e);
        const gone = e instanceof BridgeCallError && e.code === 410;
        void restart(gone, RETRY_MS);
      }
    }

    /** Starts the informer (idempotent). Returns the disposer. */
    function start(): () => void {
      if (!running) {
        running = true;
        disposers.push(onEvent('watch', (p) => {
          if (p.watchId === watchId) handle(p);
          else if (watchId === undefined) {
            const list = early.get(p.watchId) ?? [];
            list.push(p);
            early.set(p.watchId, list);
          }
        }));
        // The server forgot our watch with the connection: resume from where we were.
        disposers.push(onReconnect(() => void restart(false, 0), () => {
          watchId = undefined;
          generation++;
        }));
        void restart(true, 0);
      }
      return stop;
    }

    function stop(): void {
      if (!running) return;
      running = false;
      generation++;
      if (watchId) void call('unwatch', { watchId }).catch(() => undefined);
      watchId = undefined;
      for (const d of disposers.splice(0)) d();
    }

    function get(key: string): T | undefined {
      return items.value.get(key);
    }

    /** Tells `listener` of every change from now on (see ChangeListener). Returns the unsubscriber. */
    function subscribe(listener: ChangeListener<T>): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    }

    return { items, synced, error, start, stop, get, subscribe };
  });
}
