// The kubelet's pod phase and conditions with sidecar (restartable init) containers (getPhase,
// GeneratePodInitializedCondition, GenerateContainersReadyCondition), on runtime records as CRI reports them.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import type { RuntimeContainer } from '../../../vm-images/agent/pods/runtime-state';
import { buildPodStatus, type ContainerView } from '../../../vm-images/agent/pods/status';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: { initContainers: [{ name: 'side', image: 'i:1', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'i:1' }] },
};
const rec = (name: string, kind: 'init' | 'app', state: RuntimeContainer['state'], attempt = 0): RuntimeContainer => ({
  id: `${name}${attempt}`, sandboxId: 's', name, kind, attempt, state, createdAt: 1000 + attempt, startedAt: state === 'CONTAINER_CREATED' ? 0 : 2000,
  finishedAt: state === 'CONTAINER_EXITED' ? 3000 : 0, exitCode: state === 'CONTAINER_EXITED' ? 137 : 0, reason: '', message: '', image: 'i:1', imageRef: '', hash: '',
});
const view = (started: boolean, ready: boolean, waiting?: ContainerView['waiting']): ContainerView => ({ started, ready, ...(waiting ? { waiting } : {}) });
const base = { podIP: '10.0.0.2', sandboxReady: true, startTime: '2026-01-01T00:00:00Z', terminated: false };
const cond = (s: ReturnType<typeof buildPodStatus>, type: string): unknown => s.conditions?.find((c) => c.type === type);

describe('pod status with a sidecar', () => {
  it('is Pending and not Initialized while the sidecar has not started', () => {
    const s = buildPodStatus({ ...base, pod, containers: [rec('side', 'init', 'CONTAINER_RUNNING')], views: new Map([['init/side', view(false, false)]]) });
    expect(s.phase).toBe('Pending');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [side]' });
    expect(s.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('is Initialized once the sidecar started; Ready only with the sidecar ready too (listed first)', () => {
    const all = [rec('side', 'init', 'CONTAINER_RUNNING'), rec('app', 'app', 'CONTAINER_RUNNING')];
    const s = buildPodStatus({ ...base, pod, containers: all, views: new Map([['init/side', view(true, false)], ['app/app', view(true, false)]]) });
    expect(s.phase).toBe('Running');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'True' });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', message: 'containers with unready status: [side app]' });
    const ready = buildPodStatus({ ...base, pod, containers: all, views: new Map([['init/side', view(true, true)], ['app/app', view(true, true)]]) });
    expect(cond(ready, 'Ready')).toMatchObject({ status: 'True' });
    expect(ready.initContainerStatuses?.[0]).toMatchObject({ name: 'side', started: true, ready: true, state: { running: {} } });
  });

  it('stays Running and Initialized while a sidecar restarts after the app started', () => {
    const all = [rec('side', 'init', 'CONTAINER_EXITED'), rec('app', 'app', 'CONTAINER_RUNNING')];
    const s = buildPodStatus({
      ...base, pod, containers: all, views: new Map([['init/side', view(false, false, { reason: 'CrashLoopBackOff' })], ['app/app', view(true, true)]]),
    });
    expect(s.phase).toBe('Running');
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'True' });
    expect(s.initContainerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });

  it('is Succeeded for a Never pod whose app exited 0, whatever its stopped sidecar exited with', () => {
    const never: Pod = { ...pod, spec: { ...pod.spec!, restartPolicy: 'Never' } };
    const app = { ...rec('app', 'app', 'CONTAINER_EXITED'), exitCode: 0 };
    const s = buildPodStatus({ ...base, pod: never, containers: [rec('side', 'init', 'CONTAINER_EXITED'), app], views: new Map() });
    expect(s.phase).toBe('Succeeded');
    expect(cond(s, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});
