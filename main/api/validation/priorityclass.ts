// scheduling.k8s.io/v1 PriorityClass validation (ValidatePriorityClass, ValidatePriorityClassUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, immutable, notSupported, required } from './cause';
import { checkType, str } from './read';
import { HIGHEST_USER_DEFINABLE_PRIORITY, PREEMPTION_POLICIES, SYSTEM_PRIORITY_CLASS_PREFIX, systemClassMismatch } from '../priority';

export function validatePriorityClass(pc: KObject): Cause[] {
  const causes: Cause[] = [];
  const name = pc.metadata?.name ?? '';
  if (pc.value === undefined || pc.value === null) causes.push(required('value'));
  checkType(causes, 'value', pc.value, 'integer');
  const value = typeof pc.value === 'number' ? pc.value : 0;
  if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const why = systemClassMismatch(name, value, pc.globalDefault === true);
    if (why) causes.push(forbidden('metadata.name', `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    causes.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = pc.preemptionPolicy;
  if (policy !== undefined && policy !== null && !PREEMPTION_POLICIES.includes(str(policy) as typeof PREEMPTION_POLICIES[number])) {
    causes.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  }
  return causes;
}

export function validatePriorityClassUpdate(pc: KObject, old: KObject): Cause[] {
  const causes: Cause[] = [];
  if (pc.value !== old.value) causes.push(forbidden('value', 'may not be changed in an update.'));
  if (pc.preemptionPolicy !== old.preemptionPolicy) causes.push(immutable('preemptionPolicy', pc.preemptionPolicy));
  return causes;
}
