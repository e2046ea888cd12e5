// Namespace validation: DNS-1123 label names (checked in meta), spec.finalizers qualified names.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid } from './cause';
import { isQualifiedName } from './names';
import { checkType, list, obj, str } from './read';

export function validateNamespace(ns: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(ns.spec);
  checkType(causes, 'spec.finalizers', spec.finalizers, 'array');
  for (const f of list(spec.finalizers).map(str)) {
    for (const m of isQualifiedName(f)) causes.push(invalid('spec.finalizers', f, m));
  }
  return [...causes, ...validateNamespaceStatus(ns)];
}

/** ValidateNamespaceStatusUpdate's rule (Kubernetes spells the field `status.Phase`). */
export function validateNamespaceStatus(ns: KObject): Cause[] {
  const phase = str(obj(ns.status).phase);
  if (!phase) return [];
  const deleting = Boolean(ns.metadata?.deletionTimestamp);
  if (!deleting && phase !== 'Active') return [invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  if (deleting && phase !== 'Terminating') return [invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  return [];
}
