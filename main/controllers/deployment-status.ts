// A Deployment's status from its ReplicaSets: counts, and the Available and Progressing
// conditions with Kubernetes' reasons and messages (Progressing False/ProgressDeadlineExceeded once a rollout
// made no progress for progressDeadlineSeconds, which `kubectl rollout status` reports as a failure).
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../api/types';
import { surgeAndUnavailable } from './deployment-util';
import { rfc3339Seconds } from '../api/timestamp';

function setCondition(conds: DeploymentCondition[], c: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string): DeploymentCondition[] {
  const old = conds.find((x) => x.type === c.type);
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return conds;
  const next: DeploymentCondition = {
    ...c,
    lastUpdateTime: now,
    lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now,
  };
  return [...conds.filter((x) => x.type !== c.type), next];
}

export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = d.spec?.replicas ?? 1;
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** progressDeadlineSeconds, unless unset or MaxInt32 (no deadline). */
function progressDeadlineMs(d: Deployment): number | undefined {
  const s = d.spec?.progressDeadlineSeconds;
  return s === undefined || s === 2147483647 ? undefined : s * 1000;
}

/** DeploymentProgressing: pods of the new ReplicaSet added, ready or available, or old ones removed, since the stored status. */
function madeProgress(old: DeploymentStatus, s: DeploymentStatus): boolean {
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** The Progressing condition as the deployment controller's syncRolloutStatus keeps it (progress.go), with progressDeadlineSeconds. */
function progressing(d: Deployment, s: DeploymentStatus, newRS: ReplicaSet, conds: DeploymentCondition[], nowMs: number): DeploymentCondition[] {
  const deadline = progressDeadlineMs(d);
  if (deadline === undefined) return conds.filter((c) => c.type !== 'Progressing');
  const now = rfc3339Seconds(new Date(nowMs));
  const name = newRS.metadata?.name ?? '';
  const cur = conds.find((c) => c.type === 'Progressing');
  const others = conds.filter((c) => c.type !== 'Progressing');
  const fresh = (reason: string, message: string): DeploymentCondition[] => [...others, {
    type: 'Progressing', status: 'True', reason, message, lastUpdateTime: now, lastTransitionTime: cur?.status === 'True' ? cur.lastTransitionTime : now,
  }];
  // A rollout resumes, or begins (the condition names another ReplicaSet): the deadline counts from now.
  if (cur?.reason === 'DeploymentPaused') return fresh('DeploymentResumed', 'Deployment is resumed');
  const named = /"([^"]*)"/.exec(cur?.message ?? '')?.[1];
  if (!cur || (named !== undefined && named !== name)) {
    const found = cur?.lastUpdateTime && newRS.metadata?.creationTimestamp && newRS.metadata.creationTimestamp < cur.lastUpdateTime;
    return found ? fresh('FoundNewReplicaSet', `Found new replica set "${name}"`) : fresh('NewReplicaSetCreated', `Created new replica set "${name}"`);
  }
  // The latest rollout completed: nothing to estimate.
  if (s.replicas === s.updatedReplicas && cur.reason === 'NewReplicaSetAvailable') return conds;
  if (isComplete(d, s)) {
    return setCondition(conds, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` }, now);
  }
  if (madeProgress(d.status ?? {}, s)) return fresh('ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`);
  if (cur.reason === 'ProgressDeadlineExceeded') return conds;
  const since = Date.parse(cur.lastUpdateTime ?? '');
  if (!Number.isNaN(since) && since + deadline < nowMs) {
    return setCondition(conds, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` }, now);
  }
  return conds;
}

/** requeueStuckDeployment: when a rollout still in progress times out if nothing happens (ms from now), else undefined. */
export function progressRecheckMs(d: Deployment, s: DeploymentStatus, nowMs = Date.now()): number | undefined {
  const deadline = progressDeadlineMs(d);
  const cur = s.conditions?.find((c) => c.type === 'Progressing');
  if (deadline === undefined || !cur || cur.status !== 'True' || cur.reason === 'NewReplicaSetAvailable' || isComplete(d, s)) return undefined;
  const since = Date.parse(cur.lastUpdateTime ?? '');
  return Number.isNaN(since) ? undefined : Math.max(0, since + deadline - nowMs) + 1000;
}

export function computeStatus(d: Deployment, newRS: ReplicaSet | undefined, all: ReplicaSet[], nowMs = Date.now()): DeploymentStatus {
  const want = d.spec?.replicas ?? 1;
  const sum = (f: (rs: ReplicaSet) => number | undefined) => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
  const available = sum((rs) => rs.status?.availableReplicas);
  const s: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sum((rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum((rs) => rs.spec?.replicas) - available),
  };
  if (d.status?.collisionCount) s.collisionCount = d.status.collisionCount;
  const now = rfc3339Seconds(new Date(nowMs));
  let conds = [...(d.status?.conditions ?? [])];
  const { maxUnavailable } = surgeAndUnavailable(d);
  conds = available >= want - maxUnavailable
    ? setCondition(conds, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now)
    : setCondition(conds, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
  if (d.spec?.paused) {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
  } else {
    if (newRS) conds = progressing(d, s, newRS, conds, nowMs);
    conds = withReplicaFailure(conds, replicaFailureOf(newRS, all));
  }
  // Available, Progressing, then ReplicaFailure, as the deployment controller writes them.
  s.conditions = conds.sort((a, b) => CONDITION_ORDER.indexOf(a.type) - CONDITION_ORDER.indexOf(b.type));
  return s;
}

const CONDITION_ORDER = ['Available', 'Progressing', 'ReplicaFailure'];

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's (ReplicaSetToDeploymentCondition). */
function replicaFailureOf(newRS: ReplicaSet | undefined, all: ReplicaSet[]): DeploymentCondition | undefined {
  const of = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  const c = of(newRS) ?? all.map(of).find((x) => x !== undefined);
  if (!c) return undefined;
  return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/**
 * syncRolloutStatus moves a ReplicaSet's failure to the Deployment, or removes the Deployment's once none is left.
 * SetDeploymentCondition: the same status and reason keep the condition as it is.
 */
function withReplicaFailure(conds: DeploymentCondition[], failure: DeploymentCondition | undefined): DeploymentCondition[] {
  const cur = conds.find((c) => c.type === 'ReplicaFailure');
  if (!failure) return cur ? conds.filter((c) => c !== cur) : conds;
  if (cur && cur.status === failure.status && cur.reason === failure.reason) return conds;
  const next = cur && cur.status === failure.status ? { ...failure, lastTransitionTime: cur.lastTransitionTime } : failure;
  return [...conds.filter((c) => c !== cur), next];
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const x = a ?? {};
  const keys = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'] as const;
  if (keys.some((k) => (x[k] ?? 0) !== (b[k] ?? 0))) return false;
  const c = (s: DeploymentStatus) => (s.conditions ?? []).map((k) => `${k.type}/${k.status}/${k.reason ?? ''}/${k.message ?? ''}`).join('|');
  return c(x) === c(b);
}
