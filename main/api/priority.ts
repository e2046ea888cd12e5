// PriorityClass facts shared by validation, the API server's Priority admission and the scheduler:
// the built-in system classes and the bounds on user-defined values. Pure.
import type { PriorityClass } from './types';

export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
/** HighestUserDefinablePriority. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;

/** The classes every cluster has (scheduling.SystemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-node-critical' }, value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'system-cluster-critical' }, value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** IsKnownSystemPriorityClass: undefined when `name` is a system class with these settings, else why not. */
export function systemClassMismatch(name: string, value: number, globalDefault: boolean): string | undefined {
  const pc = SYSTEM_PRIORITY_CLASSES.find((c) => c.metadata?.name === name);
  if (!pc) return `${name} is not a known system priority class`;
  if (pc.value !== value) return `value of ${name} PriorityClass must be ${pc.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}
