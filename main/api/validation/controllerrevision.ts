// ControllerRevision validation (apps ValidateControllerRevision / ValidateControllerRevisionUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { immutable, required } from './cause';
import { nonNegative } from './container';
import { GoRepr } from './gofmt';
import { checkType, semanticEqual } from './read';

export function validateControllerRevision(cr: KObject): Cause[] {
  const causes: Cause[] = [];
  checkType(causes, 'revision', cr.revision, 'integer');
  if (cr.data === undefined || cr.data === null) causes.push(required('data', 'data is mandatory'));
  causes.push(...nonNegative(cr.revision ?? 0, 'revision'));
  return causes;
}

export function validateControllerRevisionUpdate(next: KObject, prev: KObject): Cause[] {
  return semanticEqual(next.data, prev.data) ? [] : [immutable('data', new GoRepr('runtime.RawExtension{Raw:[]uint8{…}, Object:runtime.Object(nil)}'))];
}
