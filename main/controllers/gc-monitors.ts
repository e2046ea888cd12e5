// Which resources the garbage collector watches (garbagecollector.go's monitors, found there by discovery): every
// stored resource that can be listed, watched and deleted, in one version each (the first the table serves: the
// preferred one), Events excepted as in Kubernetes' ignored resources — the built-in ones and those
// CustomResourceDefinitions define. Kept current when a definition changes, and every 30 s as the controller
// manager's garbage collector syncs its monitors with discovery.
import { RESOURCES } from '../api/resources';
import type { SharedInformers } from '../client/cache/shared-informers';
import type { ResourceRef } from '../client/types';
import type { OwnerGraph } from './gc-graph';
import { monitorId } from './gc-graph';

/** garbagecollector's default ignored resources: Events are never owners or dependents worth collecting. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
const NEEDED_VERBS = ['list', 'watch', 'delete'];
export const MONITOR_RESYNC_MS = 30_000;

/** The resources to watch now, from the table of served resources. */
export function monitoredResources(): ResourceRef[] {
  const out = new Map<string, ResourceRef>();
  for (const r of RESOURCES) {
    if (r.virtual || !NEEDED_VERBS.every((v) => r.verbs.includes(v))) continue;
    const ref: ResourceRef = { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced };
    const id = monitorId(ref);
    if (!IGNORED.has(id) && !out.has(id)) out.set(id, ref);
  }
  return [...out.values()];
}

/** Brings the graph's monitors to the resources served now: new ones watched, gone (or re-versioned) ones released. */
export function syncMonitors(graph: OwnerGraph, informers: SharedInformers): void {
  const want = new Map(monitoredResources().map((r) => [monitorId(r), r]));
  for (const id of graph.monitored()) {
    const wanted = want.get(id);
    if (wanted && graph.monitoredRef(id)?.version === wanted.version) continue;
    const gone = graph.unmonitor(id);
    if (gone) informers.release(gone);
  }
  for (const ref of want.values()) graph.monitor(ref, informers.forResource(ref));
}
