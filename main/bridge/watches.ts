// One informer watch for one UI client: API watch events, batched, pushed as 'watch' events.
import type { ApiClient } from '../client/types';
import type { BridgeEvents, Kind, WatchEventItem } from './contract';
import { toBridgeError } from './errors';
import { resourceOfKind } from './kinds';
import { informerObject } from './lean-pod';

const FLUSH_MS = 16;

export function startKindWatch(client: ApiClient, watchId: string, kind: Kind, resourceVersion: string, emit: (p: BridgeEvents['watch']) => void): () => void {
  const r = resourceOfKind(kind);
  let pending: WatchEventItem[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const flush = () => {
    timer = undefined;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    emit({ watchId, events });
  };
  const handle = client.watch(r, { resourceVersion, allowWatchBookmarks: true }, (ev) => {
    if (stopped) return;
    pending.push({ type: ev.type, object: informerObject(kind, ev.object) });
    if (!timer) timer = setTimeout(flush, FLUSH_MS);
  }, (err) => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    const events = pending;
    pending = [];
    emit({ watchId, events, closed: { error: err ? toBridgeError(err) : undefined } });
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    handle.stop();
  };
}
