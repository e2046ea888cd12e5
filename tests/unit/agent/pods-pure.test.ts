import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Backoff } from '../../../vm-images/agent/pods/backoff';
import { containerEnv, expand } from '../../../vm-images/agent/pods/env';
import { pullPolicy } from '../../../vm-images/agent/pods/images';
import { bytes, milliCpu } from '../../../vm-images/agent/pods/quantity';
import { containerHash, containerResources, definitionChanged, qosClass } from '../../../vm-images/agent/pods/runtime-config';
import { buildPodStatus } from '../../../vm-images/agent/pods/status';
import type { RuntimeContainer } from '../../../vm-images/agent/pods/runtime-state';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'i:1' }], ...spec } });

describe('quantities', () => {
  it('parses cpu and memory', () => {
    expect(milliCpu('250m')).toBe(250);
    expect(milliCpu('1.5')).toBe(1500);
    expect(milliCpu(2)).toBe(2000);
    expect(bytes('64Mi')).toBe(64 * 1024 * 1024);
    expect(bytes('1G')).toBe(1e9);
    expect(bytes('129e6')).toBe(129e6);
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap', () => {
    let now = 0;
    const b = new Backoff(10, 40, () => now);
    expect(b.inBackoffSince('k', 0)).toBe(false);
    b.next('k');
    expect(b.delayMs('k')).toBe(10);
    expect(b.inBackoffSince('k', 0)).toBe(true);
    now = 11;
    expect(b.inBackoffSince('k', 0)).toBe(false);
    b.next('k'); b.next('k'); b.next('k');
    expect(b.delayMs('k')).toBe(40);
  });
});

describe('env', () => {
  it('expands $(VAR) and keeps unknown references and $$', () => {
    expect(expand('a $(X) $(Y) $$(X)', { X: '1' })).toBe('a 1 $(Y) $(X)');
  });
  it('resolves values, fieldRefs and envFrom in order', async () => {
    const env = await containerEnv({
      name: 'c', envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
      env: [{ name: 'A', value: 'x' }, { name: 'B', value: '$(A)-$(CM_k)' }, { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
    }, { pod: pod(), podIP: '10.0.0.2', hostIP: '', lookup: async () => ({ k: 'v' }) });
    expect(env).toEqual([{ key: 'CM_k', value: 'v' }, { key: 'A', value: 'x' }, { key: 'B', value: 'x-v' }, { key: 'N', value: 'ns' }]);
  });
});

describe('pull policy and resources', () => {
  it('defaults like Kubernetes', () => {
    expect(pullPolicy({ name: 'c', image: 'busybox' })).toBe('Always');
    expect(pullPolicy({ name: 'c', image: 'busybox:latest' })).toBe('Always');
    expect(pullPolicy({ name: 'c', image: 'localhost:5000/busybox' })).toBe('Always');
    expect(pullPolicy({ name: 'c', image: 'busybox:1' })).toBe('IfNotPresent');
  });
  it('maps limits to cpu shares/quota and memory', () => {
    const p = pod({ containers: [{ name: 'c', resources: { requests: { cpu: '100m' }, limits: { cpu: '500m', memory: '32Mi' } } }] });
    expect(qosClass(p)).toBe('Burstable');
    expect(containerResources(p, p.spec!.containers[0]))
      .toMatchObject({ cpu_shares: 102, cpu_period: 100000, cpu_quota: 50000, memory_limit_in_bytes: 32 * 1024 * 1024 });
    expect(qosClass(pod())).toBe('BestEffort');
  });
  it('clamps a CPU limit above the node\'s own limit to it (cgroup v1 refuses a child quota above its parent\'s)', () => {
    const p = pod({ containers: [{ name: 'c', resources: { limits: { cpu: '2' } } }] });
    expect(containerResources(p, p.spec!.containers[0], 1)).toMatchObject({ cpu_period: 100000, cpu_quota: 100000 });
    expect(containerResources(p, p.spec!.containers[0], 4)).toMatchObject({ cpu_quota: 200000 });
    expect(containerResources(p, p.spec!.containers[0])).toMatchObject({ cpu_quota: 200000 });
  });
});

describe('container hash', () => {
  it('hashes empty resources as absent ones (a pod stored before the `resources: {}` default keeps its containers), and real ones apart', () => {
    const c = { name: 'c', image: 'flotilla/hello:1', env: [{ name: 'A', value: '1' }] };
    expect(containerHash({ ...c, resources: {} })).toBe(containerHash(c));
    expect(containerHash({ ...c, resources: { limits: {} } })).toBe(containerHash(c));
    expect(containerHash({ ...c, resources: { limits: { cpu: '1' } } })).not.toBe(containerHash(c));
    expect(containerHash({ ...c, image: 'flotilla/counter:1' })).not.toBe(containerHash(c));
  });

  it('a container created before that (hashed with `resources: {}` as written) is not restarted; a changed one is', () => {
    const c = { name: 'c', image: 'flotilla/hello:1' };
    const createdWithEmpty = createHash('sha256').update(JSON.stringify({ image: c.image, resources: {} })).digest('hex').slice(0, 16);
    expect(containerHash({ ...c, resources: {} })).not.toBe(createdWithEmpty);
    expect(definitionChanged({ ...c, resources: {} }, createdWithEmpty)).toBe(false);
    expect(definitionChanged(c, createdWithEmpty)).toBe(false);
    expect(definitionChanged(c, containerHash(c))).toBe(false);
    expect(definitionChanged({ ...c, image: 'flotilla/counter:1' }, createdWithEmpty)).toBe(true);
    expect(definitionChanged({ ...c, resources: { limits: { cpu: '1' } } }, containerHash(c))).toBe(true);
  });
});

describe('status', () => {
  const exited = (exitCode: number, attempt = 0): RuntimeContainer => ({
    id: `id${attempt}`, sandboxId: 's', name: 'c', kind: 'app', attempt, state: 'CONTAINER_EXITED', createdAt: 1000, startedAt: 2000, finishedAt: 3000,
    exitCode, reason: '', message: '', image: 'docker.io/library/i:1', imageRef: 'sha256:abc', hash: '',
  });
  const base = { podIP: '10.0.0.2', sandboxReady: true, startTime: '2026-01-01T00:00:00Z', terminated: false };
  it('is Pending with ContainerCreating before containers exist', () => {
    const s = buildPodStatus({ ...base, pod: pod(), containers: [], views: new Map() });
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: 'i:1', imageID: '' });
  });
  it('maps exits to Succeeded/Failed and CrashLoopBackOff to Running', () => {
    expect(buildPodStatus({ ...base, pod: pod({ restartPolicy: 'Never' }), containers: [exited(0)], views: new Map() }).phase).toBe('Succeeded');
    expect(buildPodStatus({ ...base, pod: pod({ restartPolicy: 'Never' }), containers: [exited(1)], views: new Map() }).phase).toBe('Failed');
    const s = buildPodStatus({ ...base, pod: pod(), containers: [exited(1, 3), exited(1, 2)], views: new Map([['app/c', { waiting: { reason: 'CrashLoopBackOff' }, started: false, ready: false }]]) });
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({ restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: 'containerd://id3' } } });
  });
  it('takes the last state from the earlier sandbox until the container restarted in the new one, and stays Running meanwhile', () => {
    const killed = { ...exited(137, 2), sandboxId: 'old' };
    // The new sandbox has no container yet: Running with the earlier container's restart count and last state (getPhase: stopped).
    const creating = buildPodStatus({ ...base, pod: pod(), containers: [], earlier: [killed], views: new Map() });
    expect(creating.phase).toBe('Running');
    expect(creating.containerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: 'ContainerCreating' } }, restartCount: 2, lastState: { terminated: { exitCode: 137, containerID: 'containerd://id2' } } });
    const running: RuntimeContainer = { ...exited(0, 3), id: 'id3', state: 'CONTAINER_RUNNING', finishedAt: 0 };
    const started = buildPodStatus({ ...base, pod: pod(), containers: [running], earlier: [killed], views: new Map() });
    expect(started.containerStatuses?.[0]).toMatchObject({ state: { running: {} }, restartCount: 3, lastState: { terminated: { containerID: 'containerd://id2' } } });
    // Restarted in the new sandbox since: its own previous instance is the last state.
    const again = buildPodStatus({ ...base, pod: pod(), containers: [{ ...running, id: 'id4', attempt: 4 }, exited(1, 3)], earlier: [killed], views: new Map() });
    expect(again.containerStatuses?.[0]).toMatchObject({ restartCount: 4, lastState: { terminated: { exitCode: 1, containerID: 'containerd://id3' } } });
  });
});
