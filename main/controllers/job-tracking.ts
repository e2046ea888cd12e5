// The pod-tracking finalizer (batch.kubernetes.io/job-tracking) of the job controller: a Job's pods
// keep it until the Job has counted them (their uids go to status.uncountedTerminatedPods first, so a
// restart never counts one twice); removals done but not yet seen in the informer are remembered so
// the next sync does not count the same pod again. Pods whose Job is gone are released by a small
// reconciler of their own (not those of a Job that spec.managedBy gives to another controller).
import { JOB_TRACKING_FINALIZER, isJobFinished, jobManagedElsewhere } from '../api/batch';
import type { Job, Pod } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { Controller } from '../client/reconciler';
import { R, keyOf, splitKey } from '../client/refs';
import { isNotFound } from '../client/types';
import type { ControllerContext } from './controller';
import { ignoreNotFound } from './ignore-not-found';
import { hasTrackingFinalizer } from './job-pods';
import { controllerRef } from './pod-util';

/** Removes the tracking finalizer (a strategic patch, so other finalizers stay); a pod already gone is fine. */
export async function releasePod(ctx: ControllerContext, pod: Pod): Promise<void> {
  const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };
  await ignoreNotFound(ctx.client.patch(R.pods, pod.metadata!.name!, patch, 'strategic', { namespace: pod.metadata!.namespace }));
}

/** Per Job: the pods whose finalizer this controller removed and the informer still shows. */
export class FinalizerExpectations {
  private readonly m = new Map<string, Set<string>>();

  /** The uids still expected, after forgetting those the informer now shows released or gone. */
  pending(key: string, pods: Pod[]): Set<string> {
    const set = this.m.get(key);
    if (!set) return new Set();
    const withFinalizer = new Set(pods.filter(hasTrackingFinalizer).map((p) => p.metadata?.uid ?? ''));
    for (const uid of set) if (!withFinalizer.has(uid)) set.delete(uid);
    if (!set.size) this.m.delete(key);
    return new Set(set);
  }

  released(key: string, uid: string): void {
    let set = this.m.get(key);
    if (!set) this.m.set(key, (set = new Set()));
    set.add(uid);
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}

/** A pod with the finalizer whose Job is gone (or finished) loses the finalizer. */
export function newJobOrphanReleaser(ctx: ControllerContext): Controller {
  const reconcile = async (key: string): Promise<void> => {
    const pod = ctx.informers.pods.get(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRef(pod);
    if (ref && ref.kind === 'Job') {
      let job: Job | undefined = ctx.informers.jobs.getByName(pod.metadata?.namespace, ref.name);
      if (!job) {
        // The cache may lag behind a Job created a moment ago: ask the API server before releasing.
        const { namespace } = splitKey(key);
        job = await ctx.client.get<Job>(R.jobs, ref.name, namespace).catch((e: unknown) => {
          if (isNotFound(e)) return undefined;
          throw e;
        });
      }
      // Pods of a Job another controller manages are that controller's to release.
      if (job && job.metadata?.uid === ref.uid && (!isJobFinished(job) || jobManagedElsewhere(job))) return;
    }
    await releasePod(ctx, pod);
  };
  return newReconciler(ctx, 'job-orphan-pods')
    .watches<Pod>('pods', (p) => (hasTrackingFinalizer(p) ? [keyOf(p)] : []))
    // A Job that finished or went away: its pods still holding the finalizer.
    .watches<Job>('jobs', (j) => ctx.informers.pods.byIndex(BY_CONTROLLER, j.metadata?.uid ?? '').filter(hasTrackingFinalizer).map(keyOf), {
      add: () => false, update: (_, j) => isJobFinished(j),
    })
    .complete(reconcile);
}
