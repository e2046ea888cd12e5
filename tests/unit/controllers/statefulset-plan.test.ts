// planStatefulSet alone, on pods as a lister would return them: the rolling update's
// maxUnavailable (several outdated pods replaced at once, counting pods already unavailable),
// Parallel scale-down, a pod whose name is no ordinal of the set being ignored, and spec.ordinals.start.
import { describe, expect, it } from 'vitest';
import type { Pod, StatefulSet } from '../../../main/api/types';
import { planStatefulSet } from '../../../main/controllers/statefulset-plan';

const set = (replicas: number, spec: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u' },
  spec: { replicas, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: {}, ...spec },
});

const pod = (ordinal: number, revision: string, ready = true, name = `web-${ordinal}`): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': revision } },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe('planStatefulSet', () => {
  it('replaces up to maxUnavailable outdated pods at once, from the top, counting unavailable ones', () => {
    const s = set(4, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } });
    const all = [0, 1, 2, 3].map((i) => pod(i, 'old'));
    expect(names(planStatefulSet({ set: s, pods: all, currentRevision: 'old', updateRevision: 'new', currentReplicas: 4 }).remove)).toEqual(['web-3', 'web-2']);
    const oneDown = [pod(0, 'old'), pod(1, 'old'), pod(2, 'old', false), pod(3, 'old')];
    // web-2 is not ready: OrderedReady waits for it before anything else.
    expect(planStatefulSet({ set: s, pods: oneDown, currentRevision: 'old', updateRevision: 'new', currentReplicas: 4 })).toEqual({ create: [], remove: [], condemn: [] });
    const parallel = { ...s, spec: { ...s.spec!, podManagementPolicy: 'Parallel' } };
    expect(names(planStatefulSet({ set: parallel, pods: oneDown, currentRevision: 'old', updateRevision: 'new', currentReplicas: 4 }).remove)).toEqual(['web-3']);
  });

  it('with the partition, never touches ordinals below it', () => {
    const s = set(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2, maxUnavailable: 3 } } });
    const all = [0, 1, 2].map((i) => pod(i, 'old'));
    expect(names(planStatefulSet({ set: s, pods: all, currentRevision: 'old', updateRevision: 'new', currentReplicas: 3 }).remove)).toEqual(['web-2']);
  });

  it('creates missing ordinals below the partition at the current revision, the others at the update revision', () => {
    const s = set(3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    expect(planStatefulSet({ set: s, pods: [], currentRevision: 'old', updateRevision: 'new', currentReplicas: 0 }).create)
      .toEqual([{ ordinal: 0, current: true }, { ordinal: 1, current: true }, { ordinal: 2, current: false }]);
  });

  it('scales down all surplus pods at once in Parallel, highest first; ignores pods named off the ordinals', () => {
    const s = set(1, { podManagementPolicy: 'Parallel' });
    const pods = [pod(0, 'r'), pod(1, 'r'), pod(2, 'r'), pod(0, 'r', true, 'web-x')];
    expect(names(planStatefulSet({ set: s, pods, currentRevision: 'r', updateRevision: 'r', currentReplicas: 3 }).condemn)).toEqual(['web-2', 'web-1']);
  });

  it('spec.ordinals.start: replicas are start … start + replicas − 1; moving the start condemns the ordinals left behind', () => {
    const s = set(3, { podManagementPolicy: 'Parallel', ordinals: { start: 5 }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    expect(planStatefulSet({ set: s, pods: [], currentRevision: 'old', updateRevision: 'new', currentReplicas: 0 }).create)
      .toEqual([{ ordinal: 5, current: true }, { ordinal: 6, current: false }, { ordinal: 7, current: false }]);
    const ordered = set(3, { ordinals: { start: 5 } });
    expect(planStatefulSet({ set: ordered, pods: [pod(5, 'r')], currentRevision: 'r', updateRevision: 'r', currentReplicas: 1 }).create).toEqual([{ ordinal: 6, current: false }]);
    const moved = set(3, { podManagementPolicy: 'Parallel', ordinals: { start: 6 } });
    const plan = planStatefulSet({ set: moved, pods: [5, 6, 7].map((i) => pod(i, 'r')), currentRevision: 'r', updateRevision: 'r', currentReplicas: 3 });
    expect(plan.create).toEqual([{ ordinal: 8, current: false }]);
    // Parallel: the missing ordinal is made first; the pod below the new start goes in the next pass.
    const next = planStatefulSet({ set: moved, pods: [5, 6, 7, 8].map((i) => pod(i, 'r')), currentRevision: 'r', updateRevision: 'r', currentReplicas: 3 });
    expect(names(next.condemn)).toEqual(['web-5']);
  });
});
