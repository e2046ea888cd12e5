// A Deployment's Progressing condition over a rollout, as the deployment controller's syncRolloutStatus keeps it:
// NewReplicaSetCreated when a rollout begins, ReplicaSetUpdated (lastUpdateTime moved) on progress, False with
// ProgressDeadlineExceeded once nothing moved for progressDeadlineSeconds, NewReplicaSetAvailable when complete;
// DeploymentResumed after a pause; no condition without a deadline; and when to look again.
import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../../../main/api/types';
import { computeStatus, progressRecheckMs } from '../../../main/controllers/deployment-status';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => T0 + s * 1000;

function deployment(status: DeploymentStatus = {}, spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: { replicas: 2, progressDeadlineSeconds: 60, selector: {}, template: {}, ...spec },
    status,
  };
}

function rs(name: string, replicas: number, ready: number, created = '2026-01-01T00:00:00Z'): ReplicaSet {
  return {
    metadata: { name, creationTimestamp: created }, spec: { replicas, selector: {} },
    status: { replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

const progressing = (s: DeploymentStatus): DeploymentCondition | undefined => s.conditions?.find((c) => c.type === 'Progressing');

describe('the Progressing condition', () => {
  it('goes Created → progressing → timed out after the deadline without progress → complete', () => {
    const r = rs('web-1', 2, 0);
    let s = computeStatus(deployment(), r, [r], at(0));
    expect(progressing(s)).toEqual(expect.objectContaining({ status: 'True', reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-1"', lastUpdateTime: '2026-01-01T00:00:00Z' }));
    expect(progressRecheckMs(deployment(s), s, at(0))).toBe(61_000);

    // One pod ready at 30 s: progress, the deadline counts from then.
    const one = rs('web-1', 2, 1);
    s = computeStatus(deployment(s), one, [one], at(30));
    expect(progressing(s)).toEqual(expect.objectContaining({ status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-1" is progressing.', lastUpdateTime: '2026-01-01T00:00:30Z', lastTransitionTime: '2026-01-01T00:00:00Z' }));

    // Nothing more by 89 s: still within the deadline; at 91 s it has passed.
    expect(progressing(computeStatus(deployment(s), one, [one], at(89)))?.reason).toBe('ReplicaSetUpdated');
    const timedOut = computeStatus(deployment(s), one, [one], at(91));
    expect(progressing(timedOut)).toEqual(expect.objectContaining({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.', lastTransitionTime: '2026-01-01T00:01:31Z' }));
    expect(progressRecheckMs(deployment(timedOut), timedOut, at(91))).toBeUndefined();

    // The pod becomes ready after all: progress again, then complete.
    const two = rs('web-1', 2, 2);
    const done = computeStatus(deployment(timedOut), two, [two], at(120));
    expect(progressing(done)).toEqual(expect.objectContaining({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-1" has successfully progressed.' }));
    expect(progressRecheckMs(deployment(done), done, at(120))).toBeUndefined();
  });

  it('a new rollout restarts the clock; a resumed one says so; no deadline, no condition', () => {
    const old = rs('web-1', 2, 2);
    const complete = computeStatus(deployment(), old, [old], at(0));
    const next = rs('web-2', 1, 0, '2026-01-01T00:10:00Z');
    const s = computeStatus(deployment(computeStatus(deployment(complete), old, [old], at(1))), next, [old, next], at(600));
    expect(progressing(s)).toEqual(expect.objectContaining({ reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-2"', lastUpdateTime: '2026-01-01T00:10:00Z' }));

    const paused = computeStatus(deployment(s, { paused: true }), next, [old, next], at(700));
    expect(progressing(paused)).toEqual(expect.objectContaining({ status: 'Unknown', reason: 'DeploymentPaused' }));
    const resumed = computeStatus(deployment(paused), next, [old, next], at(5000));
    expect(progressing(resumed)).toEqual(expect.objectContaining({ status: 'True', reason: 'DeploymentResumed', message: 'Deployment is resumed', lastUpdateTime: '2026-01-01T01:23:20Z' }));
    expect(progressing(computeStatus(deployment(resumed), next, [old, next], at(5030)))?.reason).toBe('DeploymentResumed');

    expect(progressing(computeStatus(deployment(s, { progressDeadlineSeconds: 2147483647 }), next, [old, next], at(9000)))).toBeUndefined();
  });
});
