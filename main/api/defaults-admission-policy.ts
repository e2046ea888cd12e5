// admissionregistration/v1 defaults of ValidatingAdmissionPolicies and their bindings (SetDefaults_ValidatingAdmissionPolicySpec,
// SetDefaults_MatchResources, SetDefaults_Rule): failurePolicy Fail, matchPolicy Equivalent, empty namespace and object
// selectors, and scope "*" on every resource rule.
import type { KObject } from './types';
import { asArray, asObj, child, setDefault } from './defaults-pod';

type Obj = Record<string, unknown>;

/** A MatchResources (a policy's matchConstraints, a binding's matchResources), in place. */
export function defaultMatchResources(m: Obj): void {
  setDefault(m, 'matchPolicy', 'Equivalent');
  if (m.namespaceSelector === undefined || m.namespaceSelector === null) m.namespaceSelector = {};
  if (m.objectSelector === undefined || m.objectSelector === null) m.objectSelector = {};
  for (const list of ['resourceRules', 'excludeResourceRules']) {
    for (const rule of asArray(m[list])) {
      const r = asObj(rule);
      if (r) setDefault(r, 'scope', '*');
    }
  }
}

export function defaultValidatingAdmissionPolicy(o: KObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'failurePolicy', 'Fail');
  const m = asObj(spec.matchConstraints);
  if (m) defaultMatchResources(m);
}

export function defaultValidatingAdmissionPolicyBinding(o: KObject): void {
  const spec = asObj((o as Obj).spec);
  const m = spec && asObj(spec.matchResources);
  if (m) defaultMatchResources(m);
}
