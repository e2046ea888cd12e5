// coordination.k8s.io/v1 Lease validation (ValidateLeaseSpec).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid } from './cause';
import { checkType, obj } from './read';

export function validateLease(lease: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(lease.spec);
  checkType(causes, 'spec.holderIdentity', spec.holderIdentity, 'string');
  checkType(causes, 'spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'integer');
  checkType(causes, 'spec.leaseTransitions', spec.leaseTransitions, 'integer');
  const d = spec.leaseDurationSeconds;
  if (typeof d === 'number' && d <= 0) causes.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  const t = spec.leaseTransitions;
  if (typeof t === 'number' && t < 0) causes.push(invalid('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
  return causes;
}
