// admissionregistration's rules and MatchResources (pkg/apis/admissionregistration/validation: validateRule,
// validateRuleWithOperations, validateNamedRuleWithOperations, validateMatchResources), Kubernetes' messages.
import type { Cause } from './cause';
import { duplicate, invalid, notSupported, required } from './cause';
import { GoRepr, goQuote } from './gofmt';
import { nameIsPathSegment } from './rbac';
import { list, obj, str } from './read';
import { validateLabelSelector } from './selector';

export const FAILURE_POLICIES = ['Fail', 'Ignore'];
export const MATCH_POLICIES = ['Equivalent', 'Exact'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];

/** %#v of a typed string slice: `[]admissionregistration.OperationType{"*", "CREATE"}`. */
export function goTypedStrings(type: string, values: readonly string[]): GoRepr {
  return new GoRepr(`[]${type}{${values.map(goQuote).join(', ')}}`);
}

function validateResources(resources: string[], path: string): Cause[] {
  const causes: Cause[] = [];
  if (resources.length === 0) causes.push(required(path));
  const wildcardSub = new Set<string>();
  const wildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let plain = false;
  resources.forEach((rs, i) => {
    if (rs === '') {
      causes.push(required(`${path}[${i}]`));
      return;
    }
    if (rs === '*/*') doubleWildcard = true;
    if (rs === '*') singleWildcard = true;
    const slash = rs.indexOf('/');
    if (slash < 0) {
      plain = rs !== '*';
      return;
    }
    const res = rs.slice(0, slash);
    const sub = rs.slice(slash + 1);
    if (wildcardSub.has(res)) causes.push(invalid(`${path}[${i}]`, rs, `if '${res}/*' is present, must not specify ${rs}`));
    if (wildcardRes.has(sub)) causes.push(invalid(`${path}[${i}]`, rs, `if '*/${sub}' is present, must not specify ${rs}`));
    if (sub === '*') wildcardSub.add(res);
    if (res === '*') wildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) causes.push(invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && plain) causes.push(invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  return causes;
}

/** validateRule with subresources allowed. */
function validateRule(rule: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const groups = list(rule.apiGroups).map(str);
  const versions = list(rule.apiVersions).map(str);
  if (groups.length === 0) causes.push(required(`${path}.apiGroups`));
  if (groups.length > 1 && groups.includes('*')) causes.push(invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  if (versions.length === 0) causes.push(required(`${path}.apiVersions`));
  if (versions.length > 1 && versions.includes('*')) causes.push(invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => { if (v === '') causes.push(required(`${path}.apiVersions[${i}]`)); });
  causes.push(...validateResources(list(rule.resources).map(str), `${path}.resources`));
  if (rule.scope !== undefined && rule.scope !== null && !SCOPES.includes(str(rule.scope))) causes.push(notSupported(`${path}.scope`, str(rule.scope), SCOPES));
  return causes;
}

/** validateRuleWithOperations. */
export function validateRuleWithOperations(rule: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const ops = list(rule.operations).map(str);
  if (ops.length === 0) causes.push(required(`${path}.operations`));
  if (ops.length > 1 && ops.includes('*')) {
    causes.push(invalid(`${path}.operations`, goTypedStrings('admissionregistration.OperationType', ops), "if '*' is present, must not specify other operations"));
  }
  ops.forEach((op, i) => { if (!OPERATIONS.includes(op)) causes.push(notSupported(`${path}.operations[${i}]`, op, OPERATIONS)); });
  return [...causes, ...validateRule(rule, path)];
}

function validateNamedRule(rule: Record<string, unknown>, path: string): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  list(rule.resourceNames).map(str).forEach((n, i) => {
    for (const m of nameIsPathSegment(n, false)) causes.push(invalid(`${path}.resourceNames[${i}]`, n, m));
    if (seen.has(n)) causes.push(duplicate(`${path}.resourceNames[${i}]`, n));
    seen.add(n);
  });
  return [...causes, ...validateRuleWithOperations(rule, path)];
}

/** validateMatchResources (after defaulting: matchPolicy and both selectors are required). */
export function validateMatchResources(value: unknown, path: string): Cause[] {
  if (value === undefined || value === null) return [];
  const m = obj(value);
  const causes: Cause[] = [];
  if (m.matchPolicy === undefined || m.matchPolicy === null) causes.push(required(`${path}.matchPolicy`));
  else if (!MATCH_POLICIES.includes(str(m.matchPolicy))) causes.push(notSupported(`${path}.matchPolicy`, str(m.matchPolicy), MATCH_POLICIES));
  for (const sel of ['namespaceSelector', 'objectSelector']) {
    if (m[sel] === undefined || m[sel] === null) causes.push(required(`${path}.${sel}`));
    else causes.push(...validateLabelSelector(m[sel], `${path}.${sel}`));
  }
  list(m.resourceRules).forEach((r, i) => causes.push(...validateNamedRule(obj(r), `${path}.resourceRules[${i}]`)));
  list(m.excludeResourceRules).forEach((r, i) => causes.push(...validateNamedRule(obj(r), `${path}.excludeResourceRules[${i}]`)));
  return causes;
}
