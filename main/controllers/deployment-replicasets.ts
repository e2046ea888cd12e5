// A Deployment's ReplicaSets as the deployment controller writes them: the ReplicaSet of the
// current template (found, or created named <deployment>-<pod-template-hash>, with the next
// revision), scaling with the desired/max-replicas annotations and a ScalingReplicaSet event, and
// the deployment's own revision annotation.
import type { Deployment, KObject, ReplicaSet } from '../api/types';
import type { ApiClient } from '../client/types';
import { isAlreadyExists } from '../client/types';
import type { EventRecorder } from '../client/record/recorder';
import { R } from '../client/refs';
import {
  DESIRED_REPLICAS, HASH_LABEL, MAX_REPLICAS, REVISION, REVISION_HISTORY, SKIPPED_ANNOTATIONS,
  byCreation, computeHash, equalIgnoreHash, revisionOf, specReplicas, surgeAndUnavailable,
} from './deployment-util';
import { controllerRef, ownerRefFor } from './pod-util';

/** What rollout steps act through. */
export interface RolloutContext {
  client: ApiClient;
  recorder: EventRecorder;
  /** The ReplicaSet's available pods as the pod informer shows them (absent: trust the ReplicaSet's status). */
  availablePods?: (rs: ReplicaSet, minReadySeconds: number) => number;
}

const want = (d: Deployment) => d.spec?.replicas ?? 1;

function annotationsFor(d: Deployment, revision: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) out[k] = v;
  out[REVISION] = String(revision);
  out[DESIRED_REPLICAS] = String(want(d));
  out[MAX_REPLICAS] = String(want(d) + surgeAndUnavailable(d).maxSurge);
  return out;
}

export async function scaleRS(rc: RolloutContext, d: Deployment, rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
  const from = specReplicas(rs);
  const updated = await rc.client.patch<ReplicaSet>(R.replicasets, rs.metadata!.name!, {
    metadata: { annotations: { [DESIRED_REPLICAS]: String(want(d)), [MAX_REPLICAS]: String(want(d) + surgeAndUnavailable(d).maxSurge) } },
    spec: { replicas },
  }, 'merge', { namespace: rs.metadata!.namespace });
  if (from !== replicas) {
    rc.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata!.name!} from ${from} to ${replicas}`);
  }
  return updated;
}

export async function setDeploymentRevision(rc: RolloutContext, d: Deployment, revision: number): Promise<void> {
  if (d.metadata?.annotations?.[REVISION] === String(revision)) return;
  await rc.client.patch(R.deployments, d.metadata!.name!, { metadata: { annotations: { [REVISION]: String(revision) } } }, 'merge', { namespace: d.metadata!.namespace });
}

/** The ReplicaSet of the current template (created with `replicas` when `create`), its revision annotation current. */
export async function newReplicaSet(
  rc: RolloutContext, d: Deployment, all: ReplicaSet[], old: ReplicaSet[], create: { replicas: number } | undefined,
): Promise<ReplicaSet | undefined> {
  const revision = old.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0) + 1;
  const existing = all.filter((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template)).sort(byCreation)[0];
  if (existing) return adoptRevision(rc, d, existing, revision);
  if (!create) return undefined;
  return createNewReplicaSet(rc, d, revision, create.replicas);
}

/** kube-controller-manager keeps a ReplicaSet's revision history to this many characters (oldest dropped first). */
const REVISION_HISTORY_MAX_CHARS = 2000;

/** The revision-history annotation with `old` appended, the oldest revisions dropped to stay within the limit. */
export function appendRevisionHistory(history: string | undefined, old: string): string | undefined {
  if (!history) return old;
  const revisions = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > REVISION_HISTORY_MAX_CHARS && start < revisions.length) total -= revisions[start++].length + 1;
  return total <= REVISION_HISTORY_MAX_CHARS ? [...revisions.slice(start), old].join(',') : history;
}

/**
 * The current template's existing ReplicaSet, kept in step with its Deployment on every sync (getNewReplicaSet with
 * SetNewReplicaSetAnnotations): the Deployment's annotations copied (kubernetes.io/change-cause, for `kubectl rollout
 * history`), the next revision when it is behind (a rollback), the revision it had appended to its revision-history,
 * and the Deployment's minReadySeconds.
 */
async function adoptRevision(rc: RolloutContext, d: Deployment, rs: ReplicaSet, revision: number): Promise<ReplicaSet> {
  const current = rs.metadata?.annotations ?? {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k) && current[k] !== v) annotations[k] = v;
  const had = current[REVISION];
  if (revisionOf(rs) < revision) {
    annotations[REVISION] = String(revision);
    const history = had === undefined ? undefined : appendRevisionHistory(current[REVISION_HISTORY], had);
    if (history !== undefined && history !== current[REVISION_HISTORY]) annotations[REVISION_HISTORY] = history;
  }
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  const patch: { metadata?: { annotations: Record<string, string> }; spec?: { minReadySeconds: number } } = {};
  if (Object.keys(annotations).length) patch.metadata = { annotations };
  if ((rs.spec?.minReadySeconds ?? 0) !== minReadySeconds) patch.spec = { minReadySeconds };
  if (patch.metadata || patch.spec) rs = await rc.client.patch<ReplicaSet>(R.replicasets, rs.metadata!.name!, patch, 'merge', { namespace: rs.metadata!.namespace });
  await setDeploymentRevision(rc, d, revisionOf(rs));
  return rs;
}

function replicaSetFor(d: Deployment, hash: string, revision: number, replicas: number): ReplicaSet {
  const template = structuredClone(d.spec?.template ?? {});
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata!.name!}-${hash}`, namespace: d.metadata!.namespace,
      labels: { ...(template.metadata.labels ?? {}) },
      annotations: annotationsFor(d, revision),
      ownerReferences: [ownerRefFor(d as KObject)],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
}

async function createNewReplicaSet(rc: RolloutContext, d: Deployment, revision: number, replicas: number): Promise<ReplicaSet> {
  const collisions = d.status?.collisionCount ?? 0;
  const rs = replicaSetFor(d, computeHash(d.spec?.template, collisions), revision, replicas);
  try {
    const created = await rc.client.create<ReplicaSet>(R.replicasets, rs, { namespace: d.metadata!.namespace });
    if (replicas > 0) rc.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name!} from 0 to ${replicas}`);
    await setDeploymentRevision(rc, d, revision);
    return created;
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return nameClash(rc, d, rs.metadata!.name!, collisions);
  }
}

/** A ReplicaSet of that name exists: ours (a stale cache) or a hash collision, which bumps status.collisionCount. */
async function nameClash(rc: RolloutContext, d: Deployment, name: string, collisions: number): Promise<ReplicaSet> {
  const clash = await rc.client.get<ReplicaSet>(R.replicasets, name, d.metadata!.namespace);
  if (controllerRef(clash)?.uid === d.metadata?.uid && equalIgnoreHash(clash.spec?.template, d.spec?.template)) return clash;
  await rc.client.patch(R.deployments, d.metadata!.name!, { status: { collisionCount: collisions + 1 } }, 'merge', { namespace: d.metadata!.namespace, subresource: 'status' });
  throw new Error(`hash collision for ReplicaSet ${name}`);
}
