// core/v1 Event validation (legacyValidateEvent, which is all v1 applies).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, required } from './cause';
import { isDNS1123Subdomain, isQualifiedName } from './names';
import { checkType, obj, str } from './read';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

export function validateEvent(ev: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'involvedObject', ev.involvedObject, 'object');
  checkType(causes, 'count', ev.count, 'integer');
  const io = obj(ev.involvedObject);
  const ns = ev.metadata?.namespace ?? '';
  const ioNs = str(io.namespace);
  const eventTime = str(ev.eventTime);
  if (!eventTime) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') causes.push(invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    } else if (ns !== ioNs) {
      causes.push(invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    }
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') causes.push(invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    const rc = str(ev.reportingComponent);
    if (!rc) causes.push(required('reportingController'));
    for (const m of isQualifiedName(rc)) causes.push(invalid('reportingController', rc, m));
    const ri = str(ev.reportingInstance);
    if (!ri) causes.push(required('reportingInstance'));
    if (ri.length > REPORTING_INSTANCE_LIMIT) causes.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LIMIT} characters`));
    const action = str(ev.action);
    if (!action) causes.push(required('action'));
    if (action.length > ACTION_LIMIT) causes.push(invalid('action', '', `can have at most ${ACTION_LIMIT} characters`));
    const reason = str(ev.reason);
    if (!reason) causes.push(required('reason'));
    if (reason.length > REASON_LIMIT) causes.push(invalid('reason', '', `can have at most ${REASON_LIMIT} characters`));
    if (str(ev.message).length > NOTE_LIMIT) causes.push(invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  for (const m of isDNS1123Subdomain(ns)) causes.push(invalid('namespace', ns, m));
  return causes;
}
