// A watch of any resource for the browser: the UI lists it again as a Table when it changes, so
// each change is only a ping, at most one per THROTTLE_MS (a burst of writes is one re-list).
import type { ApiClient, ResourceRef } from '../client/types';
import type { BridgeEvents } from './contract';
import { toBridgeError } from './errors';

export const THROTTLE_MS = 500;

export function startResourceWatch(
  client: ApiClient, watchId: string, ref: ResourceRef, opts: { namespace?: string; labelSelector?: string; resourceVersion: string },
  emit: (p: BridgeEvents['resourceChanged']) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let stopped = false;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    emit({ watchId });
  };
  const handle = client.watch(ref, { ...opts, allowWatchBookmarks: true }, (ev) => {
    if (stopped || ev.type === 'BOOKMARK' || timer) return;
    timer = setTimeout(fire, Math.max(0, last + THROTTLE_MS - Date.now()));
  }, (err) => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    emit({ watchId, closed: { error: err ? toBridgeError(err) : undefined } });
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    handle.stop();
  };
}
