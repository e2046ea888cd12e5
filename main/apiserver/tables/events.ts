// Events: LAST SEEN TYPE REASON OBJECT MESSAGE [SUBOBJECT SOURCE FIRST SEEN COUNT NAME] — cells in column order.
import type { Event, KObject } from '../../api/types';
import { NAME_DESCRIPTION, column, wide } from './columns';
import { translateTimestampSince } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

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

export const eventPrinter: KindPrinter = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    wide('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'),
    wide('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.'),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    wide('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    wide('Count', 'string', 'The number of times this event has occurred.'),
    column('Name', 'string', NAME_DESCRIPTION, 1, 'name'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const ev = view<Event>(obj);
    const firstSeen = isSet(ev.firstTimestamp)
      ? translateTimestampSince(ev.firstTimestamp, now)
      : translateTimestampSince(ev.eventTime, now);
    let lastSeen = isSet(ev.lastTimestamp) ? translateTimestampSince(ev.lastTimestamp, now) : firstSeen;
    let count = ev.count ?? 0;
    if (ev.series) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // singleton events of the new API carry no count
    }
    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      eventTarget(ev),
      ev.involvedObject?.fieldPath ?? '',
      eventSource(ev),
      (ev.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata?.name ?? '',
    ];
  },
};
