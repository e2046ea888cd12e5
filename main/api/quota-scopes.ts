// A ResourceQuota's scopes (pkg/quota/v1/evaluator/core/pods.go): spec.scopes, each as an Exists
// requirement, and spec.scopeSelector's matchExpressions must all match an object for the quota to
// count it. Only pods match scopes: a scoped quota counts no other kind.
import type { Pod, ResourceQuota } from './types';
import type { NamespaceObjects } from './quota-usage';
import { qosClass } from './pod-qos';

export interface ScopeRequirement { scopeName: string; operator: string; values?: string[] }

/** getScopeSelectorsFromQuota: spec.scopes as Exists, then spec.scopeSelector.matchExpressions. */
export function quotaScopeRequirements(q: ResourceQuota): ScopeRequirement[] {
  const fromScopes = (q.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' }));
  return [...fromScopes, ...(q.spec?.scopeSelector?.matchExpressions ?? [])];
}

function isTerminating(pod: Pod): boolean {
  const d = pod.spec?.activeDeadlineSeconds;
  return typeof d === 'number' && d >= 0;
}

/** Whether a pod's affinity names other namespaces (a term with namespaces or a namespaceSelector). */
function usesCrossNamespaceAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  const terms = [a?.podAffinity, a?.podAntiAffinity].flatMap((x) => [
    ...(x?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(x?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm),
  ]);
  return terms.some((t) => (t.namespaces ?? []).length > 0 || t.namespaceSelector !== undefined && t.namespaceSelector !== null);
}

/** The label-selector requirement over the set {PriorityClass: <the pod's priorityClassName>}. */
function priorityClassMatches(pod: Pod, req: ScopeRequirement): boolean {
  const name = pod.spec?.priorityClassName ?? '';
  switch (req.operator) {
    case 'Exists': return name !== '';
    case 'In': return (req.values ?? []).includes(name);
    case 'NotIn': return !(req.values ?? []).includes(name);
    default: return false; // DoesNotExist: the key is always in the set.
  }
}

export function podMatchesScope(pod: Pod, req: ScopeRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating': return isTerminating(pod);
    case 'NotTerminating': return !isTerminating(pod);
    case 'BestEffort': return qosClass(pod) === 'BestEffort';
    case 'NotBestEffort': return qosClass(pod) !== 'BestEffort';
    case 'PriorityClass': return priorityClassMatches(pod, req);
    case 'CrossNamespacePodAffinity': return usesCrossNamespaceAffinity(pod);
    default: return false;
  }
}

/** The objects of `objs` that quota `q` counts: all without scopes; with scopes, only the pods that match every requirement. */
export function objectsInScope(q: ResourceQuota, objs: NamespaceObjects): NamespaceObjects {
  const reqs = quotaScopeRequirements(q);
  if (reqs.length === 0) return objs;
  return {
    pods: objs.pods.filter((p) => reqs.every((r) => podMatchesScope(p, r))),
    services: [], configmaps: [], secrets: [], persistentvolumeclaims: [],
  };
}
