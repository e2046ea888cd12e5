// RBAC validation (pkg/apis/rbac/validation): Roles and ClusterRoles (policy rules, aggregation
// rules), RoleBindings and ClusterRoleBindings (roleRef, subjects; roleRef is immutable).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { invalid, notSupported, required } from './cause';
import type { NameFn } from './meta';
import { nameIsDNSSubdomain } from './meta';
import { GoRepr, goQuote } from './gofmt';
import { validateLabelSelector } from './selector';
import { isObj, list, obj, str } from './read';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** path.IsValidPathSegmentName: what an RBAC object's name (and a roleRef's name) may be. */
export const nameIsPathSegment: NameFn = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
};

function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): Cause[] {
  const r = obj(rule);
  const causes: Cause[] = [];
  if (list(r.verbs).length === 0) causes.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = list(r.nonResourceURLs).map(str);
  if (urls.length > 0) {
    if (namespaced) causes.push(invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (list(r.apiGroups).length || list(r.resources).length || list(r.resourceNames).length) {
      causes.push(invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (list(r.apiGroups).length === 0) causes.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (list(r.resources).length === 0) causes.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

function validateRules(o: KObject, namespaced: boolean): Cause[] {
  return list(o.rules).flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}

export function validateRole(o: KObject): Cause[] {
  return validateRules(o, true);
}

export function validateClusterRole(o: KObject): Cause[] {
  const causes = validateRules(o, false);
  if (o.aggregationRule !== undefined && o.aggregationRule !== null) {
    const selectors = list(obj(o.aggregationRule).clusterRoleSelectors);
    if (selectors.length === 0) {
      causes.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    selectors.forEach((s, i) => causes.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return causes;
}

function validateSubject(subject: unknown, namespaced: boolean, path: string): Cause[] {
  const s = obj(subject);
  const causes: Cause[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (!name) causes.push(required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) for (const m of nameIsDNSSubdomain(name, false)) causes.push(invalid(`${path}.name`, name, m));
      if (apiGroup) causes.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !str(s.namespace)) causes.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) causes.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(`${path}.kind`, str(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

function validateBinding(o: KObject, namespaced: boolean): Cause[] {
  const causes: Cause[] = [];
  const ref = obj(o.roleRef);
  if (str(ref.apiGroup) !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', str(ref.apiGroup), [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) causes.push(notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) causes.push(required('roleRef.name'));
  else for (const m of nameIsPathSegment(name, false)) causes.push(invalid('roleRef.name', name, m));
  list(o.subjects).forEach((s, i) => causes.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  return causes;
}

/** The roleRef as Go's %v prints the struct: {apiGroup kind name}. */
function roleRefValue(ref: unknown): GoRepr {
  const r = obj(ref);
  return new GoRepr(`rbac.RoleRef{APIGroup:${goQuote(str(r.apiGroup))}, Kind:${goQuote(str(r.kind))}, Name:${goQuote(str(r.name))}}`);
}

function roleRefUnchanged(next: KObject, prev: KObject): Cause[] {
  const a = obj(next.roleRef);
  const b = obj(prev.roleRef);
  const same = isObj(next.roleRef) === isObj(prev.roleRef) && ['apiGroup', 'kind', 'name'].every((k) => str(a[k]) === str(b[k]));
  return same ? [] : [invalid('roleRef', roleRefValue(next.roleRef), 'cannot change roleRef')];
}

export const validateRoleBinding = (o: KObject): Cause[] => validateBinding(o, true);
export const validateClusterRoleBinding = (o: KObject): Cause[] => validateBinding(o, false);
export const validateBindingUpdate = roleRefUnchanged;
