// A pod spec's topologySpreadConstraints (validateTopologySpreadConstraints, ValidateMaxSkew, validateMinDomains,
// ValidateTopologyKey, ValidateWhenUnsatisfiable, ValidateSpreadConstraintNotRepeat, validateNodeInclusionPolicy,
// validateMatchLabelKeysInTopologySpread), with Kubernetes 1.32's field paths and messages.
import type { TopologySpreadConstraint } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { NOT_POSITIVE } from './names';
import { checkType, isObj, isSet, list, num, obj, str, wire } from './read';
import { validateLabelName, validateLabelSelector } from './selector';

const SCHEDULE_ACTIONS = ['DoNotSchedule', 'ScheduleAnyway'];
const NODE_INCLUSION_POLICIES = ['Honor', 'Ignore'];

/** validateMinDomains: when set, greater than zero and only with whenUnsatisfiable=DoNotSchedule. */
function validateMinDomains(v: unknown, action: string, path: string): Cause[] {
  const causes: Cause[] = [];
  if (!isSet(v) || !checkType(causes, path, v, 'integer')) return causes;
  const minDomains = num(v) ?? 0;
  if (minDomains <= 0) causes.push(invalid(path, minDomains, NOT_POSITIVE));
  if (action !== 'DoNotSchedule') causes.push(invalid(path, minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
  return causes;
}

/** validateNodeInclusionPolicy: nodeAffinityPolicy and nodeTaintsPolicy, when set, are Honor or Ignore. */
function validateNodeInclusionPolicy(v: unknown, path: string): Cause[] {
  if (!isSet(v)) return [];
  return NODE_INCLUSION_POLICIES.includes(str(v)) ? [] : [notSupported(path, str(v), NODE_INCLUSION_POLICIES)];
}

/** validateMatchLabelKeysInTopologySpread: label names, only with a labelSelector, and not keys it already uses. */
function validateMatchLabelKeys(keysIn: unknown, selectorIn: unknown, path: string): Cause[] {
  const keys = list(keysIn).map(str);
  if (keys.length === 0) return [];
  const causes: Cause[] = [];
  const selectorKeys = new Set<string>();
  if (isObj(selectorIn)) {
    for (const k of Object.keys(obj(selectorIn.matchLabels))) selectorKeys.add(k);
    for (const e of list(selectorIn.matchExpressions)) selectorKeys.add(str(obj(e).key));
  } else {
    causes.push(forbidden(path, 'must not be specified when labelSelector is not set'));
  }
  keys.forEach((k, i) => {
    causes.push(...validateLabelName(k, `${path}[${i}]`));
    if (selectorKeys.has(k)) causes.push(invalid(`${path}[${i}]`, k, 'exists in both matchLabelKeys and labelSelector'));
  });
  return causes;
}

export function validateTopologySpreadConstraints(raw: unknown, path: string): Cause[] {
  const constraints = list(raw).map((c) => wire<TopologySpreadConstraint>(c));
  const causes: Cause[] = [];
  constraints.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (checkType(causes, `${p}.maxSkew`, c.maxSkew, 'integer')) {
      const maxSkew = num(c.maxSkew) ?? 0;
      if (maxSkew <= 0) causes.push(invalid(`${p}.maxSkew`, maxSkew, NOT_POSITIVE));
    }
    const topologyKey = str(c.topologyKey);
    if (!topologyKey) causes.push(required(`${p}.topologyKey`, 'can not be empty'));
    const action = str(c.whenUnsatisfiable);
    if (!SCHEDULE_ACTIONS.includes(action)) causes.push(notSupported(`${p}.whenUnsatisfiable`, action, SCHEDULE_ACTIONS));
    // {topologyKey, whenUnsatisfiable} is one kind of constraint: reported once, at the first of a repeated pair.
    if (constraints.slice(i + 1).some((o) => str(o.topologyKey) === topologyKey && str(o.whenUnsatisfiable) === action)) {
      causes.push(duplicate(`${p}.{topologyKey, whenUnsatisfiable}`, `{${topologyKey}, ${action}}`));
    }
    causes.push(
      ...validateMinDomains(c.minDomains, action, `${p}.minDomains`),
      ...validateNodeInclusionPolicy(c.nodeAffinityPolicy, `${p}.nodeAffinityPolicy`),
      ...validateNodeInclusionPolicy(c.nodeTaintsPolicy, `${p}.nodeTaintsPolicy`),
      ...validateMatchLabelKeys(c.matchLabelKeys, c.labelSelector, `${p}.matchLabelKeys`),
      ...validateLabelSelector(c.labelSelector, `${p}.labelSelector`),
    );
  });
  return causes;
}
