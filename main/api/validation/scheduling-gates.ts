// A pod's spec.schedulingGates (validateSchedulingGates, validateOnlyDeletedSchedulingGates and ValidatePodCreate's
// nodeName rule), with Kubernetes 1.32's paths and messages: qualified names without duplicates; a gated pod may not
// name its node; an update may only remove gates.
import type { Cause } from './cause';
import { duplicate, forbidden, invalid } from './cause';
import { isQualifiedName } from './names';
import { list, obj, str } from './read';

const gateNames = (raw: unknown): string[] => list(raw).map((g) => str(obj(g).name));

export function validateSchedulingGates(raw: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  gateNames(raw).forEach((name, i) => {
    for (const msg of isQualifiedName(name)) causes.push(invalid(`${path}[${i}]`, name, msg));
    if (seen.has(name)) causes.push(duplicate(`${path}[${i}]`, name));
    seen.add(name);
  });
  return causes;
}

/** ValidatePodCreate: a pod with scheduling gates may not be bound at creation. */
export function validateGatedNodeName(spec: Record<string, unknown>, path: string): Cause[] {
  return gateNames(spec.schedulingGates).length && str(spec.nodeName)
    ? [forbidden(`${path}.nodeName`, 'cannot be set until all schedulingGates have been cleared')]
    : [];
}

/** validateOnlyDeletedSchedulingGates: an update of a gated pod may remove gates, never add one. */
export function validateOnlyDeletedGates(next: unknown, prev: unknown, path: string): Cause[] {
  const old = new Set(gateNames(prev));
  const causes: Cause[] = [];
  gateNames(next).forEach((name, i) => {
    if (!old.has(name)) causes.push(forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  });
  return causes;
}
