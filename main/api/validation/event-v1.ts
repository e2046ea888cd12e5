// What events.k8s.io/v1 adds to core/v1 Event validation (ValidateEventCreate/ValidateEventUpdate with a request
// version newer than events.k8s.io/v1beta1), checked on the stored core/v1 object: so the field paths are
// Kubernetes' internal names (count, not deprecatedCount), as Kubernetes words them.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { immutable, invalid, required } from './cause';
import { num, obj, semanticEqual, str } from './read';

function validateSeries(ev: KObject): Cause[] {
  if (ev.series === undefined || ev.series === null) return [];
  const series = obj(ev.series);
  const causes: Cause[] = [];
  if ((num(series.count) ?? 0) < 2) causes.push(invalid('series.count', '', 'should be at least 2'));
  if (!str(series.lastObservedTime)) causes.push(required('series.lastObservedTime'));
  return causes;
}

/** The strict rules of a create through events.k8s.io/v1 (beyond what core/v1 checks). */
export function validateEventsV1Create(ev: KObject): Cause[] {
  const causes = validateSeries(ev);
  if (!str(ev.eventTime)) causes.push(required('eventTime'));
  const type = str(ev.type);
  if (type !== 'Normal' && type !== 'Warning') causes.push(invalid('type', '', `has invalid value: ${type}`));
  if (str(ev.firstTimestamp)) causes.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (str(ev.lastTimestamp)) causes.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if ((num(ev.count) ?? 0) !== 0) causes.push(invalid('count', '', 'needs to be unset'));
  const source = obj(ev.source);
  if (str(source.component) || str(source.host)) causes.push(invalid('source', '', 'needs to be unset'));
  return causes;
}

/** [internal path, core/v1 field] of what an update through events.k8s.io/v1 may not change. */
const IMMUTABLE: ReadonlyArray<readonly [string, string]> = [
  ['involvedObject', 'involvedObject'], ['reason', 'reason'], ['message', 'message'], ['source', 'source'],
  ['firstTimestamp', 'firstTimestamp'], ['lastTimestamp', 'lastTimestamp'], ['count', 'count'], ['reason', 'reason'],
  ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'], ['related', 'related'],
  ['reportingController', 'reportingComponent'], ['reportingInstance', 'reportingInstance'],
];

/** The strict rules of an update through events.k8s.io/v1. */
export function validateEventsV1Update(ev: KObject, old: KObject): Cause[] {
  const causes = semanticEqual(ev.series, old.series) ? [] : validateSeries(ev);
  for (const [path, field] of IMMUTABLE) {
    if (!semanticEqual(ev[field], old[field])) causes.push(immutable(path, ev[field]));
  }
  return causes;
}
