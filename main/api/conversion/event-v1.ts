// events.k8s.io/v1 Event ↔ the stored core/v1 Event, as Kubernetes converts them (pkg/apis/events/v1/conversion.go):
// regarding is involvedObject, note is message, reportingController is core's reportingComponent, and the
// deprecated* fields are core's source, firstTimestamp, lastTimestamp and count. Everything else has one name.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventsV1 } from 'kubernetes-types/events/v1';

export function eventToEventsV1(ev: CoreEvent): EventsV1 {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: ev.metadata,
    eventTime: ev.eventTime as string,
    series: ev.series ? { count: ev.series.count ?? 0, lastObservedTime: ev.series.lastObservedTime ?? '' } : undefined,
    reportingController: ev.reportingComponent,
    reportingInstance: ev.reportingInstance,
    action: ev.action,
    reason: ev.reason,
    regarding: ev.involvedObject,
    related: ev.related,
    note: ev.message,
    type: ev.type,
    deprecatedSource: ev.source,
    deprecatedFirstTimestamp: ev.firstTimestamp,
    deprecatedLastTimestamp: ev.lastTimestamp,
    deprecatedCount: ev.count,
  };
}

export function eventFromEventsV1(ev: EventsV1): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: ev.metadata ?? {},
    involvedObject: ev.regarding ?? {},
    reason: ev.reason,
    message: ev.note,
    source: ev.deprecatedSource,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    type: ev.type,
    eventTime: ev.eventTime,
    series: ev.series,
    action: ev.action,
    related: ev.related,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  };
}

/** events.k8s.io/v1 field labels that name a core one (the apiserver's field label conversion for events.k8s.io/v1). */
const EVENTS_V1_FIELD_LABELS: Readonly<Record<string, string>> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
};
const SAME_NAME = new Set(['metadata.name', 'metadata.namespace', 'reason', 'source', 'type']);

/** The core/v1 field label of an events.k8s.io/v1 one; undefined for a label events.k8s.io/v1 does not have. */
export function eventsV1FieldLabel(label: string): string | undefined {
  return EVENTS_V1_FIELD_LABELS[label] ?? (SAME_NAME.has(label) ? label : undefined);
}
