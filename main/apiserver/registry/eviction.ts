// The pods/eviction subresource (EvictionREST.Create): delete a pod unless that would violate the
// PodDisruptionBudget covering it. Terminal, pending and terminating pods are deleted without a
// look at budgets; otherwise the one budget covering the pod must allow a disruption, which the
// eviction takes (status.disruptionsAllowed - 1, the pod recorded in status.disruptedPods for the
// disruption controller) before the pod gets the DisruptionTarget condition and is deleted.
// Refusals are Kubernetes' 429 with a DisruptionBudget cause, which `kubectl drain` retries.
import { admitNodePodRemoval } from './admission/node-restriction-pods';
import type { Mutable, Pod, PodCondition, PodDisruptionBudget, PodDisruptionBudgetStatus, StatusCause, StoredObject } from '../../api/types';
import { resourceFor } from '../../api/resources';
import { DISRUPTION_BUDGET_CAUSE, EVICTION_REFUSED, budgetsCovering, isPodReady, updateDisruptionAllowedCondition } from '../../api/disruption';
import { ApiError, errors } from '../status';
import type { Registry } from './registry';
import type { DeleteOptions } from './options';
import { timestamp } from './objects';

const PODS = resourceFor('', 'v1', 'pods')!;
const PDBS = resourceFor('policy', 'v1', 'poddisruptionbudgets')!;

/** Status.disruptedPods may not grow past this (MaxDisruptedPodSize). */
export const MAX_DISRUPTED_POD_SIZE = 2000;

const EMPTY_STATUS: PodDisruptionBudgetStatus = { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };

type StoredPod = StoredObject & Pod;
type StoredPdb = StoredObject & Mutable<PodDisruptionBudget>;

function tooManyRequests(retryAfterSeconds: number, cause: string): ApiError {
  const e = errors.tooManyRequests(EVICTION_REFUSED, retryAfterSeconds);
  const causes: StatusCause[] = [{ reason: DISRUPTION_BUDGET_CAUSE, message: cause }];
  return new ApiError(e.code, e.reason, e.message, { ...e.details, causes });
}

/** createTooManyRequestsError: the budget's status is behind its spec, or the pod changed under us. */
function stillProcessing(pdb: string): ApiError {
  return tooManyRequests(10, `The disruption budget ${pdb} is still being processed by the server.`);
}

function canIgnoreBudgets(pod: StoredPod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

function shouldEnforceResourceVersion(pod: StoredPod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

/** Takes one disruption from the budget (checkAndDecrement), or refuses. */
async function checkAndDecrement(registry: Registry, pdb: StoredPdb, pod: string, dryRun: boolean): Promise<void> {
  const take = (b: StoredPdb): boolean => {
    const s: PodDisruptionBudgetStatus = b.status ?? EMPTY_STATUS;
    if ((s.observedGeneration ?? 0) < (b.metadata.generation ?? 0)) throw stillProcessing(b.metadata.name);
    const allowed = s.disruptionsAllowed;
    if (allowed < 0) throw errors.forbidden('policy', 'poddisruptionbudget', b.metadata.name, 'pdb disruptions allowed is negative');
    if (Object.keys(s.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
      throw errors.forbidden('policy', 'poddisruptionbudget', b.metadata.name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    }
    if (allowed === 0) {
      throw tooManyRequests(0, `The disruption budget ${b.metadata.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently`);
    }
    let next = { ...s, disruptionsAllowed: allowed - 1 };
    if (next.disruptionsAllowed === 0) next = updateDisruptionAllowedCondition(next, timestamp());
    b.status = { ...next, disruptedPods: { ...(s.disruptedPods ?? {}), [pod]: timestamp() } };
    return true;
  };
  if (dryRun) {
    take(structuredClone(pdb));
    return;
  }
  await registry.mutate(PDBS, pdb.metadata.namespace, pdb.metadata.name, (b) => take(b as StoredPdb), { subresource: 'status', fieldManager: '' });
}

/** addConditionAndDeletePod: DisruptionTarget=True (EvictionByEvictionAPI), then the delete. */
async function addConditionAndDelete(registry: Registry, namespace: string, name: string, opts: DeleteOptions): Promise<void> {
  let options = opts;
  if (!opts.dryRun) {
    const updated = await registry.mutate(PODS, namespace, name, (obj) => {
      const pod = obj as StoredObject & { status?: { conditions?: PodCondition[] } };
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== pod.metadata.uid) {
        throw errors.conflict('', 'Pod', name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid}). `
          + 'The object might have been deleted and then recreated');
      }
      if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
        throw errors.conflict('', 'Pod', name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record `
          + `(${pod.metadata.resourceVersion}). The object might have been modified`);
      }
      const status = (pod.status ??= {});
      const conditions = (status.conditions ??= []);
      const cur = conditions.find((c) => c.type === 'DisruptionTarget');
      const want = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
      if (cur && cur.status === want.status && cur.reason === want.reason && cur.message === want.message) return false;
      const lastTransitionTime = cur && cur.status === want.status ? cur.lastTransitionTime : timestamp();
      if (cur) Object.assign(cur, want, { lastTransitionTime });
      else conditions.push({ ...want, lastProbeTime: undefined, lastTransitionTime });
    }, { subresource: 'status', fieldManager: '' });
    if (opts.preconditions?.resourceVersion) options = { ...opts, preconditions: { ...opts.preconditions, resourceVersion: updated.metadata.resourceVersion } };
  }
  await registry.delete(PODS, namespace, name, options);
}

function withResourceVersion(opts: DeleteOptions, rv: string): DeleteOptions {
  return { ...opts, preconditions: { ...(opts.preconditions ?? {}), resourceVersion: rv } };
}

/** Evicts `name` in `namespace` with the eviction's deleteOptions; throws the ApiError Kubernetes would answer. */
export async function evictPod(registry: Registry, namespace: string, name: string, opts: DeleteOptions): Promise<void> {
  const pod = registry.get(PODS, namespace, name) as StoredPod;
  if (opts.requester) admitNodePodRemoval(opts.requester.user, pod, 'evict');
  const rvUnset = !opts.preconditions?.resourceVersion;
  if (canIgnoreBudgets(pod)) {
    const o = shouldEnforceResourceVersion(pod) && rvUnset ? withResourceVersion(opts, pod.metadata.resourceVersion) : opts;
    await addConditionAndDelete(registry, namespace, name, o);
    return;
  }
  const pdbs = budgetsCovering(registry.list(PDBS, namespace).items as StoredPdb[], pod) as StoredPdb[];
  if (pdbs.length > 1) {
    throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  }
  const pdb = pdbs[0];
  let enforceRv = false;
  if (pdb) {
    const s = pdb.status ?? EMPTY_STATUS;
    const unhealthyMayGo = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow'
      || (s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0);
    if (!isPodReady(pod) && unhealthyMayGo) enforceRv = true;
    else await checkAndDecrement(registry, pdb, name, Boolean(opts.dryRun));
  }
  try {
    await addConditionAndDelete(registry, namespace, name, enforceRv ? withResourceVersion(opts, pod.metadata.resourceVersion) : opts);
  } catch (e) {
    if (pdb && enforceRv && rvUnset && e instanceof ApiError && e.reason === 'Conflict') throw stillProcessing(pdb.metadata.name);
    throw e;
  }
}
