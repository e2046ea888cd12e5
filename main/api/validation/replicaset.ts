// ReplicaSet validation (apps ValidateReplicaSetSpec / ValidateReplicaSetUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, required } from './cause';
import { nonNegative } from './container';
import { goLabelSelector } from './gofmt';
import { checkType, isObj, obj } from './read';
import { selectorSize, validateLabelSelector } from './selector';
import { selectorImmutable, validateTemplateForReplicaSet, workloadSelector } from './workload';

export function validateReplicaSet(rs: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(rs.spec);
  checkType(causes, 'spec.replicas', spec.replicas, 'integer');
  checkType(causes, 'spec.minReadySeconds', spec.minReadySeconds, 'integer');
  causes.push(...nonNegative(spec.replicas, 'spec.replicas'));
  causes.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (!isObj(spec.selector)) {
    causes.push(required('spec.selector'));
  } else {
    causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    // Kubernetes' ReplicaSet validation really does say "deployment" here.
    if (selectorSize(spec.selector) === 0) causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for deployment'));
  }
  const selector = workloadSelector(spec.selector);
  if (!selector) causes.push(invalid('spec.selector', goLabelSelector(obj(spec.selector)), 'invalid label selector'));
  else causes.push(...validateTemplateForReplicaSet(spec.template, selector, 'spec.template'));
  return causes;
}

export function validateReplicaSetUpdate(next: KObject, prev: KObject): Cause[] {
  return selectorImmutable(obj(next.spec).selector, obj(prev.spec).selector);
}
