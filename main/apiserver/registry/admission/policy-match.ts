// Which requests a MatchResources (a ValidatingAdmissionPolicy's matchConstraints, a binding's matchResources)
// selects, as admission/plugin/policy/matching does: the namespace selector (cluster-scoped requests always pass;
// a Namespace is judged by its own labels), the object selector (the new or the old object's labels), the
// excluded rules, then the resource rules (none: everything) with operations, groups, versions, resources and
// subresources (`*`, `x/*`, `*/y`), resourceNames and scope.
import type { Authorizer } from '../../authz/authorizer';
import type { UserInfo } from '../../authz/attributes';
import type { LabelSelector, KObject } from '../../../api/types';
import { selectorFromLabelSelector } from '../../../api/labels';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What the matcher and the CEL `request` see of one request. */
export interface PolicyAttributes {
  operation: Operation;
  group: string;
  version: string;
  kind: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  namespaced: boolean;
  object?: KObject;
  oldObject?: KObject;
  dryRun: boolean;
  user: { username: string; uid: string; groups: string[]; extra: Record<string, string[]> };
  /** The requester as the authorizers know it, and their decider; absent for the control plane's own writes. */
  requester?: { user: UserInfo; authorizer: Authorizer };
}

interface NamedRule {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  resourceNames?: string[];
  scope?: string;
}

export interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: NamedRule[];
  excludeResourceRules?: NamedRule[];
  matchPolicy?: string;
}

const has = (list: readonly string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

function resourceMatches(patterns: readonly string[] | undefined, resource: string, sub: string): boolean {
  for (const p of patterns ?? []) {
    if (p === '*/*') return true;
    if (p === '*' && !sub) return true;
    const slash = p.indexOf('/');
    const [res, s] = slash < 0 ? [p, ''] : [p.slice(0, slash), p.slice(slash + 1)];
    if ((res === '*' || res === resource) && (s === sub || (s === '*' && sub !== ''))) return true;
  }
  return false;
}

function ruleMatches(rule: NamedRule, a: PolicyAttributes): boolean {
  if (!has(rule.operations, a.operation)) return false;
  if (!has(rule.apiGroups, a.group) || !has(rule.apiVersions, a.version)) return false;
  if (!resourceMatches(rule.resources, a.resource, a.subresource)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && a.namespaced) return false;
  if (scope === 'Namespaced' && !a.namespaced) return false;
  return !rule.resourceNames?.length || rule.resourceNames.includes(a.name);
}

/** Whether `m` selects the request; `namespaceLabels` are the labels of the request's namespace (undefined when none). */
export function matchesResources(m: MatchResources, a: PolicyAttributes, namespaceLabels: Record<string, string> | undefined): boolean {
  const nsSelector = selectorFromLabelSelector(m.namespaceSelector);
  if (a.group === '' && a.resource === 'namespaces') {
    const own = a.object?.metadata?.labels ?? a.oldObject?.metadata?.labels;
    if (!nsSelector.matches(own ?? {})) return false;
  } else if (a.namespaced && a.namespace && !nsSelector.matches(namespaceLabels ?? {})) {
    return false;
  }
  const objSelector = selectorFromLabelSelector(m.objectSelector);
  const objectMatches = [a.object, a.oldObject].some((o) => o && objSelector.matches(o.metadata?.labels ?? {}));
  if (!objectMatches) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a))) return false;
  const rules = m.resourceRules ?? [];
  return rules.length === 0 || rules.some((r) => ruleMatches(r, a));
}
