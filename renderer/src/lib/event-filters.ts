// The events timeline's filters and links: which kinds and reasons are there to filter by, whether
// an event passes, and what its object opens (a pod, a node, or any other object by its kind).
import type { Event } from '../../../main/api/types';

export interface EventFacets {
  kinds: string[];
  reasons: string[];
}

/** The kinds and reasons present, sorted, for the filter menus. */
export function eventFacets(events: Iterable<Event>): EventFacets {
  const kinds = new Set<string>();
  const reasons = new Set<string>();
  for (const e of events) {
    if (e.involvedObject.kind) kinds.add(e.involvedObject.kind);
    if (e.reason) reasons.add(e.reason);
  }
  return { kinds: [...kinds].sort(), reasons: [...reasons].sort() };
}

/** '' = any. */
export function passesFacets(e: Event, kind: string, reason: string): boolean {
  return (kind === '' || e.involvedObject.kind === kind) && (reason === '' || e.reason === reason);
}

export type EventTarget =
  | { type: 'pod'; namespace: string; name: string }
  | { type: 'node'; name: string }
  | { type: 'object'; apiVersion: string; kind: string; namespace?: string; name: string };

/** What clicking the event's object opens; none when the event names no object. */
export function eventTarget(e: Event): EventTarget | undefined {
  const o = e.involvedObject;
  if (!o.name || !o.kind) return undefined;
  if (o.kind === 'Pod' && o.namespace) return { type: 'pod', namespace: o.namespace, name: o.name };
  if (o.kind === 'Node') return { type: 'node', name: o.name };
  return { type: 'object', apiVersion: o.apiVersion ?? 'v1', kind: o.kind, namespace: o.namespace || undefined, name: o.name };
}
