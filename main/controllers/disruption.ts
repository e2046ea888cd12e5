// The disruption controller: keeps each PodDisruptionBudget's status — expectedPods,
// desiredHealthy, currentHealthy (ready, not terminating, not just evicted), disruptionsAllowed
// and the DisruptionAllowed condition — and forgets status.disruptedPods entries whose pods are
// gone or that the eviction recorded more than DELETION_TIMEOUT_MS ago without the pod going.
// The eviction subresource (apiserver/registry/eviction.ts) reads what this writes. Beside it runs the
// reset of stale DisruptionTarget pod conditions (disruption-stale.ts).
import type { KObject, Mutable, Pod, PodDisruptionBudget, PodDisruptionBudgetStatus } from '../api/types';
import { budgetsCovering, isPodReady, pdbSelector, updateDisruptionAllowedCondition, DISRUPTION_ALLOWED } from '../api/disruption';
import { isConflict, isNotFound } from '../client/types';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { expectedCounts, NoControllersError } from './disruption-expected';
import { newStaleDisruptionController, type StaleDisruptionOptions } from './disruption-stale';
import { together } from './extras';
import { shortTime } from './pod-util';
import { semanticEqual } from '../api/validation/read';

/** How long an eviction's entry in disruptedPods counts the pod as disrupted (DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

type Pdb = Mutable<PodDisruptionBudget> & KObject;

/** buildDisruptedPodMap: the entries still pending (pod present, not terminating, within the timeout) and when the earliest lapses. */
export function pendingDisruptions(pdb: Pdb, pods: Pod[], now: number): { map: Record<string, string>; recheckAt?: number; expired: Pod[] } {
  const recorded = pdb.status?.disruptedPods ?? {};
  const map: Record<string, string> = {};
  const expired: Pod[] = [];
  let recheckAt: number | undefined;
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const at = recorded[name];
    if (!at || p.metadata?.deletionTimestamp) continue;
    const deadline = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (deadline < now) {
      expired.push(p);
      continue;
    }
    map[name] = at;
    recheckAt = recheckAt === undefined ? deadline : Math.min(recheckAt, deadline);
  }
  return { map, recheckAt, expired };
}

/** countHealthyPods: ready, not terminating, not pending disruption. */
export function countHealthy(pods: Pod[], disrupted: Record<string, string>): number {
  return pods.filter((p) => !p.metadata?.deletionTimestamp && !disrupted[p.metadata?.name ?? ''] && isPodReady(p)).length;
}

function sameStatus(a: PodDisruptionBudgetStatus | undefined, b: PodDisruptionBudgetStatus): boolean {
  return semanticEqual(a ?? {}, b);
}

export function newDisruptionController(ctx: ControllerContext, stale: StaleDisruptionOptions = {}): Controller {
  const { client, informers } = ctx;
  const pdbs = informers.informer('poddisruptionbudgets');
  const pods = informers.pods;
  const src = { client, replicasets: informers.informer('replicasets'), deployments: informers.informer('deployments') };
  const recorder = ctx.recorder('controllermanager');

  function podsOf(pdb: Pdb): Pod[] {
    const sel = pdbSelector(pdb);
    if (!sel) return [];
    return pods.byIndex(BY_NAMESPACE, pdb.metadata?.namespace ?? '').filter((p) => sel.matches(p.metadata?.labels ?? {}));
  }

  async function writeStatus(pdb: Pdb, status: PodDisruptionBudgetStatus): Promise<void> {
    if (sameStatus(pdb.status, status)) return;
    try {
      await client.update(R.poddisruptionbudgets, { ...pdb, status }, { subresource: 'status', namespace: pdb.metadata?.namespace });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** failSafe: no disruptions while the budget cannot be computed. */
  async function failSafe(pdb: Pdb, err: Error): Promise<void> {
    const now = shortTime();
    const cur = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
    const conditions = (cur.conditions ?? []).filter((c) => c.type !== DISRUPTION_ALLOWED);
    const old = cur.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
    conditions.push({
      type: DISRUPTION_ALLOWED, status: 'False', reason: 'SyncFailed', message: err.message,
      ...(cur.observedGeneration !== undefined ? { observedGeneration: cur.observedGeneration } : {}),
      lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : now,
    });
    await writeStatus(pdb, { ...cur, disruptionsAllowed: 0, conditions });
  }

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const pdb = pdbs.get(key) as Pdb | undefined;
    if (!pdb) return;
    const matching = podsOf(pdb);
    if (!matching.length) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts;
    try {
      counts = await expectedCounts(src, pdb, matching);
    } catch (e) {
      if (e instanceof NoControllersError) recorder.event(pdb, 'Warning', 'NoControllers', e.message);
      else recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${(e as Error).message}`);
      await failSafe(pdb, e as Error);
      throw e;
    }
    const now = Date.now();
    const { map, recheckAt, expired } = pendingDisruptions(pdb, matching, now);
    for (const p of expired) recorder.event(p, 'Warning', 'NotDeleted', `Pod was expected by PDB ${key} to be deleted but it wasn't`);
    const currentHealthy = countHealthy(matching, map);
    let disruptionsAllowed = currentHealthy - counts.desiredHealthy;
    if (counts.expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const status = updateDisruptionAllowedCondition({
      disruptedPods: Object.keys(map).length ? map : undefined,
      disruptionsAllowed, currentHealthy, desiredHealthy: counts.desiredHealthy, expectedPods: counts.expectedCount,
      observedGeneration: pdb.metadata?.generation ?? 1, conditions: pdb.status?.conditions,
    }, shortTime(new Date(now)));
    if (!status.disruptedPods) delete (status as Partial<PodDisruptionBudgetStatus>).disruptedPods;
    try {
      await writeStatus(pdb, status);
    } catch (e) {
      if (isConflict(e)) return { requeueAfter: 0 };
      throw e;
    }
    if (recheckAt !== undefined) return { requeueAfter: Math.max(0, recheckAt - now) + 10 };
  }

  const budgetsOfPod = (p: Pod): string[] =>
    budgetsCovering(pdbs.byIndex(BY_NAMESPACE, p.metadata?.namespace ?? '') as PodDisruptionBudget[], p).map((b) => keyOf(b));
  const budgetsInNamespace = (o: KObject): string[] => pdbs.byIndex(BY_NAMESPACE, o.metadata?.namespace ?? '').map((b) => keyOf(b));

  const budgets = newReconciler(ctx, 'disruption', { workers: 2 })
    .for('poddisruptionbudgets')
    .watches<Pod>('pods', budgetsOfPod)
    .watches('replicasets', budgetsInNamespace, { update: (o, n) => JSON.stringify(o.spec) !== JSON.stringify(n.spec) })
    .watches('deployments', budgetsInNamespace, { update: (o, n) => JSON.stringify(o.spec) !== JSON.stringify(n.spec) })
    .complete(reconcile);
  return together('disruption', budgets, newStaleDisruptionController(ctx, stale));
}
