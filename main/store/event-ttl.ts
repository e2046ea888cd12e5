// Events expire, as kube-apiserver's --event-ttl makes them (default 1 h): there each Event is written to etcd with
// a lease of that TTL, so it is deleted TTL after its last write (create or update) whoever wrote it. Here a sweep
// deletes every Event whose last write (the store's time of its modRevision) is older than the TTL; the delete
// reaches watchers as etcd's lease expiry does. A sweep runs every tenth of the TTL (at most every minute), so an
// Event lives at most TTL + one sweep. Events whose write time is unknown (history from before revision times were
// kept) are judged by their own timestamps.
import type { KV, Store } from './types';
import type { SqliteStore } from './sqlite-store';
import { StoreError } from './types';

export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;
/** Core and events.k8s.io Events share this storage. */
const EVENTS_PREFIX = '/registry/core/events/';
const MAX_SWEEP_EVERY_MS = 60_000;

export type ExpiringStore = Pick<Store, 'list' | 'delete'> & Pick<SqliteStore, 'revisionTime'>;

export interface EventExpirer {
  /** Deletes the Events older than the TTL now; resolves with how many were deleted. */
  sweep(): Promise<number>;
  stop(): void;
}

interface EventTimes { lastTimestamp?: string; eventTime?: string; series?: { lastObservedTime?: string }; metadata?: { creationTimestamp?: string } }

/** When the Event was last written (ms since the epoch), or NaN when nothing says. */
export function lastWriteMs(store: Pick<SqliteStore, 'revisionTime'>, kv: KV): number {
  const t = store.revisionTime(kv.modRevision);
  if (t !== undefined) return t;
  try {
    const e = JSON.parse(kv.value) as EventTimes;
    const times = [e.series?.lastObservedTime, e.lastTimestamp, e.eventTime, e.metadata?.creationTimestamp]
      .map((s) => (s ? Date.parse(s) : NaN)).filter((x) => !Number.isNaN(x));
    return times.length ? Math.max(...times) : NaN;
  } catch {
    return NaN;
  }
}

export function startEventExpirer(store: ExpiringStore, ttlMs: number, now: () => number = Date.now): EventExpirer {
  const sweep = async (): Promise<number> => {
    const cutoff = now() - ttlMs;
    const old = store.list(EVENTS_PREFIX).items.filter((kv) => lastWriteMs(store, kv) < cutoff);
    let deleted = 0;
    for (const kv of old) {
      // Only the write that was judged: an Event updated meanwhile has a new lease.
      await store.delete(kv.key, kv.modRevision).then(() => deleted++, (e: unknown) => {
        if (!(e instanceof StoreError && (e.code === 'Conflict' || e.code === 'NotFound' || e.code === 'Closed'))) throw e;
      });
    }
    return deleted;
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep().catch(() => undefined).finally(() => { running = false; });
  }, Math.max(1000, Math.min(MAX_SWEEP_EVERY_MS, Math.floor(ttlMs / 10))));
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
