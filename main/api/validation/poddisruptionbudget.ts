// policy/v1 PodDisruptionBudget validation (ValidatePodDisruptionBudget, ValidatePodDisruptionBudgetStatusUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported } from './cause';
import { GoRepr, goLabelSelector } from './gofmt';
import { checkType, isObj, isSet, obj } from './read';
import { validateLabelSelector } from './selector';
import { notMoreThan100Percent, positiveIntOrPercent } from './workload';
import { nonNegative } from './container';

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

/** An *intstr.IntOrString inside a %#v struct: a pointer; we print the value it points to. */
function intOrStringPtr(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? `(*intstr.IntOrString)(${v})` : '(*intstr.IntOrString)(nil)';
}

/** %#v of the spec, as the "cannot be both set" message prints it (pointers shown by the value they hold). */
function goSpec(spec: Record<string, unknown>): GoRepr {
  const sel = isObj(spec.selector) ? `(*v1.LabelSelector)(${goLabelSelector(spec.selector).text})` : '(*v1.LabelSelector)(nil)';
  const policy = typeof spec.unhealthyPodEvictionPolicy === 'string'
    ? `(*policy.UnhealthyPodEvictionPolicyType)(${JSON.stringify(spec.unhealthyPodEvictionPolicy)})` : '(*policy.UnhealthyPodEvictionPolicyType)(nil)';
  return new GoRepr(`policy.PodDisruptionBudgetSpec{MinAvailable:${intOrStringPtr(spec.minAvailable)}, Selector:${sel}, `
    + `MaxUnavailable:${intOrStringPtr(spec.maxUnavailable)}, UnhealthyPodEvictionPolicy:${policy}}`);
}

export function validatePodDisruptionBudget(pdb: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(pdb.spec);
  if (isSet(spec.minAvailable) && isSet(spec.maxUnavailable)) {
    causes.push(invalid('spec', goSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (!isSet(spec[f])) continue;
    causes.push(...positiveIntOrPercent(spec[f], `spec.${f}`));
    causes.push(...notMoreThan100Percent(spec[f], `spec.${f}`));
  }
  causes.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (isSet(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(policy as typeof UNHEALTHY_POD_EVICTION_POLICIES[number])) {
    causes.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, UNHEALTHY_POD_EVICTION_POLICIES));
  }
  const status = obj(pdb.status);
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) {
    if (checkType(causes, `status.${f}`, status[f], 'integer')) causes.push(...nonNegative(status[f], `status.${f}`));
  }
  return causes;
}
