// One step of a StatefulSet's control loop (updateStatefulSet in stateful_set_control.go), as a
// plan: which ordinals to create (from spec.ordinals.start), which pods to delete, which are scaled away. OrderedReady creates
// ordinals upwards, each once the one below is Running and Ready (and available for minReadySeconds),
// and removes surplus pods from the highest ordinal down, one at a time; Parallel does both at once.
// RollingUpdate then replaces pods of an old revision from the highest ordinal down to `partition`,
// one at a time waiting for health (or up to maxUnavailable at once); OnDelete leaves them.
import type { Pod, StatefulSet } from '../api/types';
import { isPodAvailable, isPodReady } from './pod-util';
import { isFailedOrSucceeded, isTerminating, ordinalOf, revisionOfPod } from './statefulset-pods';

export interface StatefulPlan {
  /** Ordinals to create pods for, each with the revision it gets. */
  create: Array<{ ordinal: number; current: boolean }>;
  /** Pods to delete (failed ones to be replaced, outdated ones in a rolling update). */
  remove: Pod[];
  /** Pods beyond the replica count to delete (their claims follow whenScaled). */
  condemn: Pod[];
}

export interface PlanInput {
  set: StatefulSet;
  pods: Pod[];
  currentRevision: string;
  updateRevision: string;
  /** status.currentReplicas as last reported (newVersionedStatefulSetPod without a rollingUpdate block). */
  currentReplicas: number;
  now?: number;
}

export function isHealthy(p: Pod, minReadySeconds: number, now = Date.now()): boolean {
  return p.status?.phase === 'Running' && !isTerminating(p) && (minReadySeconds ? isPodAvailable(p, minReadySeconds, now) : isPodReady(p));
}

/** spec.ordinals.start: the first replica's ordinal (0 by default). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/**
 * The pods by ordinal within [start, start + replicas) — `replicas[i]` is ordinal start + i — and those outside it
 * (highest first).
 */
export function splitByOrdinal(set: StatefulSet, pods: Pod[]): { replicas: Array<Pod | undefined>; condemned: Pod[] } {
  const n = set.spec?.replicas ?? 1;
  const start = startOrdinal(set);
  const replicas: Array<Pod | undefined> = new Array<Pod | undefined>(n).fill(undefined);
  const condemned: Pod[] = [];
  for (const p of pods) {
    const ord = ordinalOf(set, p);
    if (ord < 0) continue;
    if (ord >= start && ord < start + n) replicas[ord - start] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
  return { replicas, condemned };
}

/** newVersionedStatefulSetPod: whether an ordinal is created at the current revision rather than the update revision. */
function atCurrent(set: StatefulSet, ordinal: number, currentReplicas: number): boolean {
  const s = set.spec?.updateStrategy;
  const start = startOrdinal(set);
  if (s?.type === 'RollingUpdate' && !s.rollingUpdate) return ordinal < start + currentReplicas;
  return !!s?.rollingUpdate && ordinal < start + (s.rollingUpdate.partition ?? 0);
}

/** maxUnavailable as a number of pods: an int or a percentage of the replicas rounded down, at least 1; undefined when not set. */
export function maxUnavailableOf(set: StatefulSet): number | undefined {
  const v = set.spec?.updateStrategy?.rollingUpdate?.maxUnavailable;
  if (v === undefined) return undefined;
  const n = set.spec?.replicas ?? 1;
  const x = typeof v === 'number' ? v : v.endsWith('%') ? Math.floor((Number(v.slice(0, -1)) * n) / 100) : Number(v) || 0;
  return Math.max(1, x);
}

export function planStatefulSet(input: PlanInput): StatefulPlan {
  const { set, updateRevision } = input;
  const now = input.now ?? Date.now();
  const plan: StatefulPlan = { create: [], remove: [], condemn: [] };
  if (set.metadata?.deletionTimestamp) return plan;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const healthy = (p: Pod) => isHealthy(p, minReady, now);
  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const { replicas, condemned } = splitByOrdinal(set, input.pods);

  const start = startOrdinal(set);
  for (const [i, p] of replicas.entries()) {
    const ordinal = start + i;
    if (!p) plan.create.push({ ordinal, current: atCurrent(set, ordinal, input.currentReplicas) });
    else if (isFailedOrSucceeded(p) && !isTerminating(p)) plan.remove.push(p);
    else if (healthy(p)) continue;
    if (monotonic) return plan; // OrderedReady: one change at a time, and nothing past a pod that is not healthy yet
  }
  if (!monotonic && (plan.create.length || plan.remove.length)) return plan;

  const firstUnhealthy = condemned.find((p) => !healthy(p));
  for (const p of condemned) {
    if (isTerminating(p)) {
      if (monotonic) return plan;
      continue;
    }
    if (monotonic && !healthy(p) && p !== firstUnhealthy) return plan;
    plan.condemn.push(p);
    if (monotonic) return plan;
  }
  if (plan.condemn.length) return plan;

  const strategy = set.spec?.updateStrategy;
  if (strategy?.type === 'OnDelete') return plan;
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  const maxUnavailable = maxUnavailableOf(set);
  if (maxUnavailable === undefined) {
    for (let t = replicas.length - 1; t >= partition; t--) {
      const p = replicas[t]!;
      if (revisionOfPod(p) !== updateRevision && !isTerminating(p)) {
        plan.remove.push(p);
        return plan;
      }
      if (!healthy(p)) return plan;
    }
    return plan;
  }
  const unavailable = replicas.filter((p) => !p || !healthy(p)).length;
  for (let t = replicas.length - 1; t >= partition && plan.remove.length < maxUnavailable - unavailable; t--) {
    const p = replicas[t]!;
    if (revisionOfPod(p) !== updateRevision && !isTerminating(p)) plan.remove.push(p);
  }
  return plan;
}
