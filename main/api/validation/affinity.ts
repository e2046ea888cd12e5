// A pod spec's affinity (validateAffinity): node affinity (validateNodeAffinity, ValidatePreferredSchedulingTerms),
// and pod affinity and anti-affinity (validatePodAffinity, validatePodAntiAffinity, validatePodAffinityTerm,
// validateWeightedPodAffinityTerms, validateMatchLabelKeysAndMismatchLabelKeys), with Kubernetes 1.32's
// field paths and messages — including its quirks: a bad namespace is reported at `<term>.namespace`, and a
// matchLabelKeys key repeated in the selector's matchExpressions at `<term>[i]`.
import type { Affinity, NodeAffinity, PodAffinity, PodAntiAffinity, PodAffinityTerm, PreferredSchedulingTerm, WeightedPodAffinityTerm } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, required } from './cause';
import { nameIsDNSLabel } from './meta';
import { validateNodeSelector, validateNodeSelectorTerm } from './node-selector';
import type { Wire } from './read';
import { checkType, isObj, isSet, list, num, obj, str, wire } from './read';
import { validateLabelName, validateLabelSelector } from './selector';

const WEIGHT_RANGE = 'must be in the range 1-100';
const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';
const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';

/** A preferred term's weight: 1..100 (an absent weight is Go's zero). */
function validateWeight(w: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!checkType(causes, path, w, 'integer')) return causes;
  const weight = num(w) ?? 0;
  if (weight <= 0 || weight > 100) causes.push(invalid(path, weight, WEIGHT_RANGE));
  return causes;
}

function validateNodeAffinity(raw: unknown, path: string): Cause[] {
  const na = wire<NodeAffinity>(raw);
  const causes: Cause[] = [];
  if (isSet(na.requiredDuringSchedulingIgnoredDuringExecution)) {
    causes.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, `${path}.${REQUIRED}`));
  }
  list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const term = wire<PreferredSchedulingTerm>(t);
    const p = `${path}.${PREFERRED}[${i}]`;
    causes.push(...validateWeight(term.weight, `${p}.weight`), ...validateNodeSelectorTerm(term.preference, `${p}.preference`));
  });
  return causes;
}

/** validateLabelKeys: matchLabelKeys / mismatchLabelKeys need a labelSelector, and each is a label name. */
function validateLabelKeys(keys: string[], hasSelector: boolean, path: string): Cause[] {
  if (keys.length === 0) return [];
  if (!hasSelector) return [forbidden(path, 'must not be specified when labelSelector is not set')];
  return keys.flatMap((k, i) => validateLabelName(k, `${path}[${i}]`));
}

/**
 * validateMatchLabelKeysAndMismatchLabelKeys. A matchLabelKeys key is refused when the selector's
 * matchExpressions name it after matchLabels or an earlier expression already did (what a selector merged
 * with matchLabelKeys would look like), and when mismatchLabelKeys names it too.
 */
function validateMatchLabelKeysAndMismatchLabelKeys(term: Wire<PodAffinityTerm>, path: string): Cause[] {
  const match = list(term.matchLabelKeys).map(str);
  const mismatch = list(term.mismatchLabelKeys).map(str);
  const hasSelector = isObj(term.labelSelector);
  const causes = [
    ...validateLabelKeys(match, hasSelector, `${path}.matchLabelKeys`),
    ...validateLabelKeys(mismatch, hasSelector, `${path}.mismatchLabelKeys`),
  ];
  if (hasSelector) {
    const selector = obj(term.labelSelector);
    const matchIndex = new Map<string, number>();
    match.forEach((k, i) => matchIndex.set(k, i));
    const selectorKeys = new Set(Object.keys(obj(selector.matchLabels)));
    for (const e of list(selector.matchExpressions)) {
      const key = str(obj(e).key);
      const i = matchIndex.get(key);
      if (i !== undefined && selectorKeys.has(key)) causes.push(invalid(`${path}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
      selectorKeys.add(key);
    }
  }
  const mismatchSet = new Set(mismatch);
  match.forEach((k, i) => {
    if (mismatchSet.has(k)) causes.push(invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return causes;
}

function validatePodAffinityTerm(raw: unknown, path: string): Cause[] {
  const term = wire<PodAffinityTerm>(raw);
  const causes = [
    ...validateLabelSelector(term.labelSelector, `${path}.labelSelector`),
    ...validateLabelSelector(term.namespaceSelector, `${path}.namespaceSelector`),
  ];
  for (const ns of list(term.namespaces).map(str)) {
    for (const m of nameIsDNSLabel(ns, false)) causes.push(invalid(`${path}.namespace`, ns, m));
  }
  causes.push(...validateMatchLabelKeysAndMismatchLabelKeys(term, path));
  const topologyKey = str(term.topologyKey);
  if (!topologyKey) causes.push(required(`${path}.topologyKey`, 'can not be empty'));
  causes.push(...validateLabelName(topologyKey, `${path}.topologyKey`));
  return causes;
}

/** validatePodAffinity and validatePodAntiAffinity: the two have the same shape and the same rules. */
function validatePodAffinityRules(raw: unknown, path: string): Cause[] {
  const pa = wire<PodAffinity & PodAntiAffinity>(raw);
  return [
    ...list(pa.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => validatePodAffinityTerm(t, `${path}.${REQUIRED}[${i}]`)),
    ...list(pa.preferredDuringSchedulingIgnoredDuringExecution).flatMap((t, i) => {
      const weighted = wire<WeightedPodAffinityTerm>(t);
      const p = `${path}.${PREFERRED}[${i}]`;
      return [...validateWeight(weighted.weight, `${p}.weight`), ...validatePodAffinityTerm(weighted.podAffinityTerm, `${p}.podAffinityTerm`)];
    }),
  ];
}

/** validateAffinity: each of nodeAffinity, podAffinity and podAntiAffinity that is set. */
export function validateAffinity(raw: unknown, path: string): Cause[] {
  const a = wire<Affinity>(raw);
  const causes: Cause[] = [];
  if (isSet(a.nodeAffinity)) causes.push(...validateNodeAffinity(a.nodeAffinity, `${path}.nodeAffinity`));
  if (isSet(a.podAffinity)) causes.push(...validatePodAffinityRules(a.podAffinity, `${path}.podAffinity`));
  if (isSet(a.podAntiAffinity)) causes.push(...validatePodAffinityRules(a.podAntiAffinity, `${path}.podAntiAffinity`));
  return causes;
}
