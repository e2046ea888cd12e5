// Events: LAST SEEN TYPE REASON OBJECT MESSAGE [SUBOBJECT SOURCE FIRST SEEN COUNT NAME] — cells in column order.
import type { Event } from '../../api/types';
import { nameColumn } from './columns';
import { defineTable } from './define';
import { translateTimestampSince } from './duration';

function isSet(ts: string | undefined | null): ts is string {
  return typeof ts === 'string' && ts !== '';
}

/** `component, host`, falling back to reportingController / reportingInstance (formatEventSource). */
export function eventSource(ev: Partial<Event>): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** `kind/name` lower-cased kind, or just the kind when the object has no name. */
export function eventTarget(ev: Partial<Event>): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  return ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
}

function firstSeen(ev: Partial<Event>, now: Date): string {
  return translateTimestampSince(isSet(ev.firstTimestamp) ? ev.firstTimestamp : ev.eventTime, now);
}

/** LAST SEEN: the series' last observation, else lastTimestamp, else when it was first seen. */
function lastSeen(ev: Partial<Event>, now: Date): string {
  if (ev.series) return translateTimestampSince(ev.series.lastObservedTime, now);
  return isSet(ev.lastTimestamp) ? translateTimestampSince(ev.lastTimestamp, now) : firstSeen(ev, now);
}

/** COUNT: the series' count, else count; singleton events of the new API carry none and count 1. */
function count(ev: Partial<Event>): number {
  if (ev.series) return ev.series.count ?? 0;
  return ev.count || 1;
}

export const eventTable = defineTable<Event>({
  columns: [
    { name: 'Last Seen', type: 'string', description: 'The time at which the most recent occurrence of this event was recorded.', cell: lastSeen },
    { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future', cell: (ev) => ev.type ?? '' },
    { name: 'Reason', type: 'string', description: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", cell: (ev) => ev.reason ?? '' },
    { name: 'Object', type: 'string', description: 'The object that this event is about.', cell: eventTarget },
    { name: 'Subobject', type: 'string', priority: 1, description: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', cell: (ev) => ev.involvedObject?.fieldPath ?? '' },
    { name: 'Source', type: 'string', priority: 1, description: 'The component reporting this event. Should be a short machine understandable string.', cell: eventSource },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.', cell: (ev) => (ev.message ?? '').trim() },
    { name: 'First Seen', type: 'string', priority: 1, description: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', cell: firstSeen },
    { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.', cell: count },
    { ...nameColumn, priority: 1 },
  ],
});
