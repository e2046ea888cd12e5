import { describe, expect, it } from 'vitest';
import { changedPods, runtimeFingerprints } from '../../../vm-images/agent/pods/relist';
import { LABEL_POD_UID } from '../../../vm-images/agent/pods/labels';

const uid = (u: string) => ({ [LABEL_POD_UID]: u });

describe('relist fingerprints', () => {
  it('names the pods whose sandboxes or containers appeared, changed state or vanished, and no other', () => {
    const before = runtimeFingerprints(
      [{ id: 's1', state: 'SANDBOX_READY', labels: uid('a') }, { id: 's2', state: 'SANDBOX_READY', labels: uid('b') }, { id: 's3', state: 'SANDBOX_READY', labels: uid('c') }],
      [{ id: 'c1', state: 'CONTAINER_RUNNING', labels: uid('a') }, { id: 'c2', state: 'CONTAINER_RUNNING', labels: uid('b') }, { id: 'x', state: 'CONTAINER_RUNNING', labels: {} }],
    );
    const after = runtimeFingerprints(
      [{ id: 's2', state: 'SANDBOX_READY', labels: uid('b') }, { id: 's1', state: 'SANDBOX_READY', labels: uid('a') }, { id: 's4', state: 'SANDBOX_READY', labels: uid('d') }],
      [{ id: 'c2', state: 'CONTAINER_EXITED', labels: uid('b') }, { id: 'c1', state: 'CONTAINER_RUNNING', labels: uid('a') }],
    );
    expect(changedPods(before, after).sort()).toEqual(['b', 'c', 'd']);
    expect(changedPods(after, after)).toEqual([]);
  });
});
