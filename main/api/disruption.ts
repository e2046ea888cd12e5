// PodDisruptionBudget facts shared by the eviction subresource, the disruption controller, the
// scheduler's preemption and the UI's drain: which budgets cover a pod, and the DisruptionAllowed
// condition (component-helpers' UpdateDisruptionAllowedCondition). Pure.
import type { Pod, PodDisruptionBudget, PodDisruptionBudgetStatus } from './types';
import type { Condition } from 'kubernetes-types/meta/v1';
import type { Selector } from './labels';
import { nothing, selectorFromLabelSelector } from './labels';

export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
/** The message of the 429 an eviction gets when a budget forbids it. */
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
/** StatusCause type of that refusal (policyv1.DisruptionBudgetCause). */
export const DISRUPTION_BUDGET_CAUSE = 'DisruptionBudget';

/** The pod's Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** metav1.LabelSelectorAsSelector of spec.selector: nil selects nothing, {} everything; undefined when invalid. */
export function pdbSelector(pdb: PodDisruptionBudget): Selector | undefined {
  if (!pdb.spec?.selector) return nothing();
  try {
    return selectorFromLabelSelector(pdb.spec.selector);
  } catch {
    return undefined;
  }
}

/** The budgets of `pdbs` that cover `pod` (same namespace, selector matches its labels). */
export function budgetsCovering(pdbs: readonly PodDisruptionBudget[], pod: Pod): PodDisruptionBudget[] {
  const labels = pod.metadata?.labels ?? {};
  return pdbs.filter((b) => b.metadata?.namespace === pod.metadata?.namespace && pdbSelector(b)?.matches(labels) === true);
}

/**
 * Sets DisruptionAllowed from status.disruptionsAllowed (True/SufficientPods when above 0, else
 * False/InsufficientPods), as apimeta.SetStatusCondition does: the transition time moves only
 * when the status changes.
 */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string): PodDisruptionBudgetStatus {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const next: Condition = {
    type: DISRUPTION_ALLOWED, status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '',
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}), lastTransitionTime: now,
  };
  const conditions = [...(status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === DISRUPTION_ALLOWED);
  if (i < 0) conditions.push(next);
  else conditions[i] = { ...next, lastTransitionTime: conditions[i].status === next.status ? conditions[i].lastTransitionTime : now };
  return { ...status, conditions };
}
