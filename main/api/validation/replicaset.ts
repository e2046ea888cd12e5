// ReplicaSet validation (apps ValidateReplicaSetSpec / ValidateReplicaSetUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { nonNegative } from './container';
import { checkType, obj } from './read';
import { selectorImmutable, validateSelectorAndTemplate } from './workload';

export function validateReplicaSet(rs: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(rs.spec);
  checkType(causes, 'spec.replicas', spec.replicas, 'integer');
  checkType(causes, 'spec.minReadySeconds', spec.minReadySeconds, 'integer');
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  causes.push(...validateSelectorAndTemplate(spec));
  return causes;
}

export function validateReplicaSetUpdate(next: KObject, prev: KObject): Cause[] {
  return selectorImmutable(obj(next.spec).selector, obj(prev.spec).selector);
}
