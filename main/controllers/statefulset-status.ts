// A StatefulSet's status (updateStatefulSet's status pass and completeRollingUpdate): pods created
// (with a phase), ready, available, at the current and at the update revision; a RollingUpdate
// whose pods are all updated and ready makes the update revision current.
import type { Pod, StatefulSet, StatefulSetStatus } from '../api/types';
import { isPodAvailable, isPodReady } from './pod-util';
import { isCreated, isTerminating, revisionOfPod } from './statefulset-pods';

export function statefulSetStatus(
  set: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string, collisionCount: number, now = Date.now(),
): StatefulSetStatus {
  const minReady = set.spec?.minReadySeconds ?? 0;
  const s: StatefulSetStatus = {
    observedGeneration: set.metadata?.generation ?? 0, replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0,
    currentRevision, updateRevision, collisionCount,
  };
  for (const p of pods) {
    if (isCreated(p)) s.replicas = (s.replicas ?? 0) + 1;
    if (p.status?.phase === 'Running' && isPodReady(p)) {
      s.readyReplicas = (s.readyReplicas ?? 0) + 1;
      if (isPodAvailable(p, minReady, now)) s.availableReplicas = (s.availableReplicas ?? 0) + 1;
    }
    if (isCreated(p) && !isTerminating(p)) {
      if (revisionOfPod(p) === currentRevision) s.currentReplicas = (s.currentReplicas ?? 0) + 1;
      if (revisionOfPod(p) === updateRevision) s.updatedReplicas = (s.updatedReplicas ?? 0) + 1;
    }
  }
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && s.updatedReplicas === s.replicas && s.readyReplicas === s.replicas) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = updateRevision;
  }
  return s;
}

const KEYS = ['observedGeneration', 'replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'currentRevision', 'updateRevision', 'collisionCount'] as const;

export function sameStatefulSetStatus(a: StatefulSetStatus | undefined, b: StatefulSetStatus): boolean {
  return KEYS.every((k) => (a?.[k] ?? 0) === (b[k] ?? 0));
}
