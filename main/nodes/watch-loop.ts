// A minimal list-then-watch loop over one resource: calls onChange(name) for every object seen,
// re-lists when the watch ends. Returns a disposer.
import type { KObject } from '../api/types';
import type { ApiClient, ResourceRef, WatchHandle } from '../client/types';

export function watchNames(client: ApiClient, ref: ResourceRef, onChange: (name: string, obj: KObject | undefined) => void, log?: (l: string) => void): () => void {
  let stopped = false;
  let handle: WatchHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const restart = (): void => {
    if (stopped) return;
    const wait = Math.min(100 * 2 ** failures, 5000);
    failures += 1;
    timer = setTimeout(() => void cycle(), wait);
  };
  const cycle = async (): Promise<void> => {
    if (stopped) return;
    try {
      const list = await client.list(ref);
      const seen = new Set<string>();
      for (const o of list.items) {
        const name = o.metadata?.name ?? '';
        seen.add(name);
        onChange(name, o);
      }
      if (stopped) return;
      handle = client.watch(ref, { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, (ev) => {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
        failures = 0;
        const o = ev.object as KObject;
        onChange(o.metadata?.name ?? '', ev.type === 'DELETED' ? undefined : o);
      }, (err) => {
        if (err) log?.(`watch ${ref.plural}: ${err.message}`);
        restart();
      });
    } catch (e) {
      log?.(`list ${ref.plural}: ${e instanceof Error ? e.message : String(e)}`);
      restart();
    }
  };
  void cycle();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    handle?.stop();
  };
}
