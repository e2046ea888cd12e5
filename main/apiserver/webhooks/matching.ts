// Which webhooks a request goes to (apiserver's admission/plugin/webhook/predicates): the rules (operations, API
// groups and versions, resources with subresources, scope), the namespaceSelector (the namespace's labels; a
// Namespace's own; other cluster-scoped objects always match) and the objectSelector (new or old object's labels).
import { selectorFromLabelSelector } from '../../api/labels';
import type { LabelSelector } from '../../api/types';
import type { AdmissionAttributes, NamespaceLabels, WebhookRule } from './types';

/** The resources Kubernetes never sends to webhooks (IsExemptAdmissionConfigurationResource). */
const EXEMPT = new Set([
  'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
]);

export function isExempt(a: Pick<AdmissionAttributes, 'resource'>): boolean {
  return a.resource.group === 'admissionregistration.k8s.io' && EXEMPT.has(a.resource.plural);
}

function listMatches(values: readonly string[] | undefined, v: string): boolean {
  return (values ?? []).some((x) => x === '*' || x === v);
}

function isNamespace(a: AdmissionAttributes): boolean {
  return a.resource.group === '' && a.resource.plural === 'namespaces';
}

function ruleMatches(rule: WebhookRule, a: AdmissionAttributes): boolean {
  if (!listMatches(rule.operations, a.operation)) return false;
  if (!listMatches(rule.apiGroups, a.resource.group) || !listMatches(rule.apiVersions, a.resource.version)) return false;
  const resourceMatch = (rule.resources ?? []).some((rs) => {
    const slash = rs.indexOf('/');
    const res = slash < 0 ? rs : rs.slice(0, slash);
    const sub = slash < 0 ? '' : rs.slice(slash + 1);
    return (res === '*' || res === a.resource.plural) && (sub === '*' || sub === a.subresource);
  });
  if (!resourceMatch) return false;
  switch (rule.scope ?? '*') {
    case 'Namespaced': return !isNamespace(a) && a.namespace !== '';
    case 'Cluster': return isNamespace(a) || a.namespace === '';
    default: return true;
  }
}

export function rulesMatch(rules: readonly WebhookRule[] | undefined, a: AdmissionAttributes): boolean {
  return (rules ?? []).some((r) => ruleMatches(r, a));
}

function isEmptySelector(ls: LabelSelector | undefined): boolean {
  return !ls || (Object.keys(ls.matchLabels ?? {}).length === 0 && (ls.matchExpressions ?? []).length === 0);
}

/** MatchNamespaceSelector. */
export function namespaceSelectorMatches(ls: LabelSelector | undefined, a: AdmissionAttributes, labelsOf: NamespaceLabels): boolean {
  if (isEmptySelector(ls)) return true;
  let labels: Record<string, string> | undefined;
  if (isNamespace(a)) labels = (a.object ?? a.oldObject)?.metadata?.labels ?? {};
  else if (!a.resource.namespaced) return true;
  else labels = labelsOf(a.namespace) ?? {};
  return selectorFromLabelSelector(ls).matches(labels);
}

/** MatchObjectSelector: the new object's labels or the old one's. */
export function objectSelectorMatches(ls: LabelSelector | undefined, a: AdmissionAttributes): boolean {
  if (isEmptySelector(ls)) return true;
  const selector = selectorFromLabelSelector(ls);
  return [a.object, a.oldObject].some((o) => o !== undefined && selector.matches(o.metadata?.labels ?? {}));
}
