// The disruption controller's stale-condition loop (syncStalePodDisruption): a pod that got
// DisruptionTarget=True (an eviction or a preemption about to delete it) but was not deleted within
// stalePodDisruptionTimeout (2 min) has the condition reset to False, as Kubernetes does; conditions the
// kubelet set (TerminationByKubelet) and those of pods already Succeeded or Failed are left alone.
import type { Pod } from '../api/types';
import { newReconciler } from '../client/reconciler';
import type { Controller, ReconcileResult } from '../client/reconciler';
import { R, keyOf, splitKey } from '../client/refs';
import { isConflict } from '../client/types';
import type { ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { shortTime } from './pod-util';

export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60 * 1000;
const DISRUPTION_TARGET = 'DisruptionTarget';

export interface StaleDisruptionOptions {
  /** How long DisruptionTarget=True may stay on a pod that is not deleted (default 2 min). */
  timeoutMs?: number;
  now?: () => number;
}

/** nonTerminatingPodHasStaleDisruptionCondition: undefined if the pod has no condition to watch, else ms until it is stale (0: now). */
export function staleDisruptionWait(pod: Pod, timeoutMs: number, now: number): number | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  const cond = pod.status?.conditions?.find((c) => c.type === DISRUPTION_TARGET);
  if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') return undefined;
  const since = Date.parse(cond.lastTransitionTime ?? '');
  return Number.isNaN(since) ? 0 : Math.max(0, since + timeoutMs - now);
}

export function newStaleDisruptionController(ctx: ControllerContext, opts: StaleDisruptionOptions = {}): Controller {
  const timeoutMs = opts.timeoutMs ?? STALE_POD_DISRUPTION_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const pods = ctx.informers.pods;

  async function reconcile(key: string): Promise<ReconcileResult | undefined> {
    const pod = pods.get(key);
    if (!pod) return undefined;
    const wait = staleDisruptionWait(pod, timeoutMs, now());
    if (wait === undefined) return undefined;
    if (wait > 0) return { requeueAfter: wait };
    // Conditions merge by type: the reason and message stay, the status turns False from now.
    const patch = {
      metadata: { resourceVersion: pod.metadata?.resourceVersion },
      status: { conditions: [{ type: DISRUPTION_TARGET, status: 'False', lastTransitionTime: shortTime(new Date(now())) }] },
    };
    const { namespace, name } = splitKey(key);
    try {
      await ignoreNotFound(ctx.client.patch(R.pods, name, patch, 'strategic', { namespace, subresource: 'status' }));
    } catch (e) {
      if (isConflict(e)) return { requeueAfter: 0 };
      throw e;
    }
    ctx.log(`disruption: reset stale DisruptionTarget condition of pod ${key} to False`);
    return undefined;
  }

  const watched = (p: Pod): string[] => (staleDisruptionWait(p, timeoutMs, now()) === undefined ? [] : [keyOf(p)]);
  return newReconciler(ctx, 'disruption-stale-pods').watches<Pod>('pods', watched).complete(reconcile);
}
