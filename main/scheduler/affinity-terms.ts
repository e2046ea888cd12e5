// Pod (anti-)affinity terms as the scheduler evaluates them (the framework's AffinityTerm): the term's label
// selector with matchLabelKeys / mismatchLabelKeys merged from the owning pod's labels (`key in (value)`,
// `key notin (value)`), the namespaces it covers (the owning pod's own namespace when neither `namespaces` nor
// `namespaceSelector` is set) and its namespaceSelector (a nil selector matches no namespace, `{}` every one).
import type { LabelSelector, Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../api/types';
import type { Selector } from '../api/labels';
import { nothing, selectorFromLabelSelector } from '../api/labels';

export interface AffinityTerm {
  selector: Selector;
  namespaces: ReadonlySet<string>;
  namespaceSelector: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** A pod's inter-pod affinity terms, compiled once per pod version. */
export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

/** The labels of a namespace, as the scheduler's namespace lister knows them. */
export type NamespaceLabels = (namespace: string) => Readonly<Record<string, string>> | undefined;

/** metav1.LabelSelectorAsSelector: nil matches nothing; an invalid selector (validation refuses those) too. */
function compile(ls: LabelSelector | undefined): Selector {
  if (!ls) return nothing();
  try {
    return selectorFromLabelSelector(ls);
  } catch {
    return nothing();
  }
}

/**
 * `ls` with the owning pod's values of `matchLabelKeys` (`key in (value)`) and `mismatchLabelKeys` (`key notin
 * (value)`) added, compiled; keys the pod does not carry are left out. For pod affinity terms and topology spread
 * constraints alike.
 */
export function selectorWithLabelKeys(
  ls: LabelSelector | undefined, podLabels: Readonly<Record<string, string>>, matchLabelKeys: readonly string[] = [], mismatchLabelKeys: readonly string[] = [],
): Selector {
  if (!ls || (!matchLabelKeys.length && !mismatchLabelKeys.length)) return compile(ls);
  const exprs = [...(ls.matchExpressions ?? [])];
  for (const key of matchLabelKeys) if (key in podLabels) exprs.push({ key, operator: 'In', values: [podLabels[key]] });
  for (const key of mismatchLabelKeys) if (key in podLabels) exprs.push({ key, operator: 'NotIn', values: [podLabels[key]] });
  return compile({ ...ls, matchExpressions: exprs });
}

export function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const own = term.namespaces?.length || term.namespaceSelector ? term.namespaces ?? [] : [pod.metadata?.namespace ?? 'default'];
  return {
    selector: selectorWithLabelKeys(term.labelSelector, pod.metadata?.labels ?? {}, term.matchLabelKeys, term.mismatchLabelKeys),
    namespaces: new Set(own),
    namespaceSelector: compile(term.namespaceSelector),
    topologyKey: term.topologyKey ?? '',
  };
}

function weighted(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  return (terms ?? []).map((t) => ({ ...newAffinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
}

/** The pod's compiled terms, or undefined when it has no pod affinity or anti-affinity at all. */
export function podAffinityTerms(pod: Pod): PodAffinityTerms | undefined {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return undefined;
  const terms: PodAffinityTerms = {
    requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
    requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
    preferredAffinity: weighted(pod, a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(pod, a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  const any = terms.requiredAffinity.length + terms.requiredAntiAffinity.length + terms.preferredAffinity.length + terms.preferredAntiAffinity.length;
  return any ? terms : undefined;
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces (or one its namespaceSelector picks) and has matching labels. */
export function termMatches(t: AffinityTerm, pod: Pod, namespaceLabels: NamespaceLabels): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (!t.namespaces.has(ns) && !(t.namespaceSelector !== NOTHING && t.namespaceSelector.matches(namespaceLabels(ns) ?? {}))) return false;
  return t.selector.matches(pod.metadata?.labels ?? {});
}

const NOTHING = nothing();

/** podMatchesAllAffinityTerms: false for no terms. */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, namespaceLabels: NamespaceLabels): boolean {
  if (!terms.length) return false;
  return terms.every((t) => termMatches(t, pod, namespaceLabels));
}
