// Which resources the garbage collector watches (garbagecollector.go's monitors, found there by discovery): every
// stored resource that can be listed, watched and deleted, in one version each (the first the table serves: the
// preferred one), Events excepted as in Kubernetes' ignored resources — the built-in ones and those
// CustomResourceDefinitions define. Kept current when a definition changes, and every 30 s as the controller
// manager's garbage collector syncs its monitors with discovery.
import type { SharedInformers } from '../client/cache/shared-informers';
import { servedRefs } from '../client/refs';
import type { ResourceRef } from '../client/types';
import type { OwnerGraph } from './gc-graph';

/** garbagecollector's default ignored resources: Events are never owners or dependents worth collecting. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
const NEEDED_VERBS = ['list', 'watch', 'delete'];
export const MONITOR_RESYNC_MS = 30_000;

/** The resources to watch now, by group/plural (monitorId), from the table of served resources. */
export function monitoredResources(): Map<string, ResourceRef> {
  return servedRefs((r) => !IGNORED.has(`${r.group}/${r.plural}`) && NEEDED_VERBS.every((v) => r.verbs.includes(v)));
}

/** Brings the graph's monitors to the resources served now: new ones watched, gone (or re-versioned) ones released. */
export function syncMonitors(graph: OwnerGraph, informers: SharedInformers): void {
  const want = monitoredResources();
  for (const id of graph.monitored()) {
    const wanted = want.get(id);
    if (wanted && graph.monitoredRef(id)?.version === wanted.version) continue;
    const gone = graph.unmonitor(id);
    if (gone) informers.release(gone);
  }
  for (const ref of want.values()) graph.monitor(ref, informers.forResource(ref));
}
