// A Deployment's status from its ReplicaSets: counts, and the Available and Progressing
// conditions with Kubernetes' reasons and messages.
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../api/types';
import { surgeAndUnavailable } from './deployment-util';
import { shortTime } from './pod-util';

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

export function computeStatus(d: Deployment, newRS: ReplicaSet | undefined, all: ReplicaSet[]): DeploymentStatus {
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
  const now = shortTime();
  let conds = [...(d.status?.conditions ?? [])];
  const { maxUnavailable } = surgeAndUnavailable(d);
  conds = available >= want - maxUnavailable
    ? setCondition(conds, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now)
    : setCondition(conds, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
  if (d.spec?.paused) {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
  } else if (newRS) {
    const name = newRS.metadata?.name ?? '';
    const oldActive = all.some((rs) => rs !== newRS && (rs.status?.replicas ?? 0) > 0);
    conds = isComplete(d, s) && !oldActive
      ? setCondition(conds, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` }, now)
      : setCondition(conds, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` }, now);
  }
  // Available first, then Progressing, as the deployment controller writes them.
  s.conditions = conds.sort((a, b) => (a.type === b.type ? 0 : a.type === 'Available' ? -1 : 1));
  return s;
}

export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const x = a ?? {};
  const keys = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'] as const;
  if (keys.some((k) => (x[k] ?? 0) !== (b[k] ?? 0))) return false;
  const c = (s: DeploymentStatus) => (s.conditions ?? []).map((k) => `${k.type}/${k.status}/${k.reason ?? ''}/${k.message ?? ''}`).join('|');
  return c(x) === c(b);
}
