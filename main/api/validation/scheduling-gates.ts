// A pod's spec.schedulingGates (validateSchedulingGates, validateOnlyDeletedSchedulingGates and ValidatePodCreate's
// nodeName rule), with Kubernetes 1.32's paths and messages: qualified names without duplicates; a gated pod may not
// name its node; an update may only remove gates. While gated, its scheduling directives may be narrowed (as Kueue
// does when it admits a pod): nodeSelector entries added, required node affinity terms given more requirements,
// preferred node affinity changed (validateNodeSelectorMutation, validateNodeAffinityMutation).
import type { NodeSelectorTerm } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid } from './cause';
import { isQualifiedName } from './names';
import { list, obj, semanticEqual, str } from './read';
import { goNodeSelectorTerm, goNodeSelectorTerms } from './gofmt';

const gateNames = (raw: unknown): string[] => list(raw).map((g) => str(obj(g).name));

export function validateSchedulingGates(raw: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const seen = new Set<string>();
  gateNames(raw).forEach((name, i) => {
    for (const msg of isQualifiedName(name)) causes.push(invalid(`${path}[${i}]`, name, msg));
    if (seen.has(name)) causes.push(duplicate(`${path}[${i}]`, name));
    seen.add(name);
  });
  return causes;
}

/** ValidatePodCreate: a pod with scheduling gates may not be bound at creation. */
export function validateGatedNodeName(spec: Record<string, unknown>, path: string): Cause[] {
  return gateNames(spec.schedulingGates).length && str(spec.nodeName)
    ? [forbidden(`${path}.nodeName`, 'cannot be set until all schedulingGates have been cleared')]
    : [];
}

/** validateOnlyDeletedSchedulingGates: an update of a gated pod may remove gates, never add one. */
export function validateOnlyDeletedGates(next: unknown, prev: unknown, path: string): Cause[] {
  const old = new Set(gateNames(prev));
  const causes: Cause[] = [];
  gateNames(next).forEach((name, i) => {
    if (!old.has(name)) causes.push(forbidden(`${path}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  });
  return causes;
}

/** validateNodeSelectorMutation: every old entry kept as it was. */
function nodeSelectorAdditionsOnly(next: unknown, prev: unknown, path: string): Cause[] {
  const now = obj(next) as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj(prev))) {
    if (!(k in now) || now[k] !== v) return [invalid(path, next ?? null, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)')];
  }
  return [];
}

const requiredTerms = (nodeAffinity: unknown): NodeSelectorTerm[] | undefined => {
  const req = obj(nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution;
  return req === undefined || req === null ? undefined : list(obj(req).nodeSelectorTerms) as NodeSelectorTerm[];
};

/** validateNodeSelectorTermHasOnlyAdditions: the old requirements first, unchanged, then any new ones. */
function onlyAdditions(next: NodeSelectorTerm, prev: NodeSelectorTerm): boolean {
  const ne = list(next.matchExpressions), pe = list(prev.matchExpressions), nf = list(next.matchFields), pf = list(prev.matchFields);
  return pe.length <= ne.length && pf.length <= nf.length && pe.every((r, i) => semanticEqual(r, ne[i])) && pf.every((r, i) => semanticEqual(r, nf[i]));
}

/** validateNodeAffinityMutation: required terms may only gain requirements (none added or removed once there are some). */
function nodeAffinityAdditionsOnly(next: unknown, prev: unknown, path: string): Cause[] {
  const old = requiredTerms(prev);
  if (!old) return [];
  const now = requiredTerms(next) ?? [];
  const termsPath = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
  if (old.length > 0 && old.length !== now.length) {
    return [invalid(termsPath, goNodeSelectorTerms(requiredTerms(next) ?? null), 'no additions/deletions to non-empty NodeSelectorTerms list are allowed')];
  }
  return old.flatMap((t, i) => (onlyAdditions(now[i], t) ? [] : [invalid(`${termsPath}[${i}]`, goNodeSelectorTerm(now[i]), 'only additions are allowed (no mutations or deletions)')]));
}

/**
 * A gated pod's update: gates only removed, nodeSelector only added to, required node affinity only narrowed.
 * Returns the causes and the spec with those fields as they were (what the rest of the update checks compare).
 */
export function validateGatedUpdate(spec: Record<string, unknown>, old: Record<string, unknown>): { causes: Cause[]; munged: Record<string, unknown> } {
  const causes = validateOnlyDeletedGates(spec.schedulingGates, old.schedulingGates, 'spec.schedulingGates');
  const munged: Record<string, unknown> = { ...spec, schedulingGates: old.schedulingGates };
  if (!semanticEqual(spec.nodeSelector, old.nodeSelector)) {
    causes.push(...nodeSelectorAdditionsOnly(spec.nodeSelector, old.nodeSelector, 'spec.nodeSelector'));
    munged.nodeSelector = old.nodeSelector;
  }
  const oldNA = obj(old.affinity).nodeAffinity;
  const newNA = obj(spec.affinity).nodeAffinity;
  if (!semanticEqual(newNA, oldNA)) {
    causes.push(...nodeAffinityAdditionsOnly(newNA, oldNA, 'spec.affinity.nodeAffinity'));
    const rest: Record<string, unknown> = { ...obj(spec.affinity) };
    delete rest.nodeAffinity;
    munged.affinity = oldNA !== undefined ? { ...rest, nodeAffinity: oldNA } : Object.keys(rest).length ? rest : old.affinity;
  }
  return { causes, munged };
}
