// The agent's pure parts for ephemeral containers and volumes: status reports them apart (no effect on
// phase or readiness), a target makes the PID namespace the target's, hostPath volumes become CRI mounts
// with the kubelet's type checks, and a volume type the agent cannot mount is a clear config error.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { ContainerConfigError } from '../../../vm-images/agent/pods/env';
import { containerConfig } from '../../../vm-images/agent/pods/runtime-config';
import type { RuntimeContainer } from '../../../vm-images/agent/pods/runtime-state';
import { buildPodStatus } from '../../../vm-images/agent/pods/status';
import { containerMounts } from '../../../vm-images/agent/pods/volumes';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-volumes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'app', image: 'i:1' }], ...spec } });
const running = (name: string, kind: RuntimeContainer['kind']): RuntimeContainer => ({
  id: `id-${name}`, sandboxId: 's', name, kind, attempt: 0, state: 'CONTAINER_RUNNING', createdAt: 1000, startedAt: 2000, finishedAt: 0,
  exitCode: 0, reason: '', message: '', image: 'docker.io/library/i:1', imageRef: 'sha256:abc', hash: '',
});

describe('ephemeral containers in the agent', () => {
  it('are reported in ephemeralContainerStatuses and leave phase and readiness alone', () => {
    const p = pod({ ephemeralContainers: [{ name: 'dbg', image: 'busybox:1', targetContainerName: 'app' }, { name: 'later', image: 'busybox:1' }] });
    const views = new Map([['app/app', { started: true, ready: true }]]);
    const s = buildPodStatus({ pod: p, podIP: '10.0.0.2', sandboxReady: true, startTime: '2026-01-01T00:00:00Z', terminated: false, containers: [running('app', 'app'), running('dbg', 'ephemeral')], views });
    expect(s.phase).toBe('Running');
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(s.containerStatuses?.map((c) => c.name)).toEqual(['app']);
    expect(s.ephemeralContainerStatuses).toEqual([
      expect.objectContaining({ name: 'dbg', ready: false, restartCount: 0, state: { running: { startedAt: '1970-01-01T00:00:02Z' } }, containerID: 'containerd://id-dbg' }),
      expect.objectContaining({ name: 'later', state: { waiting: { reason: 'ContainerCreating' } } }),
    ]);
    expect(s.ephemeralContainerStatuses?.[0]).not.toHaveProperty('started');
  });

  it('join their target\'s PID namespace (CRI TARGET mode); others keep the pod\'s', () => {
    const p = pod();
    const eph = containerConfig(p, { name: 'dbg', image: 'busybox:1', stdin: true, tty: true }, 'ephemeral', 0, 'busybox:1', [], undefined, { targetId: 'abc' });
    expect(eph.linux?.security_context?.namespace_options).toEqual({ network: 'POD', pid: 'TARGET', target_id: 'abc', ipc: 'POD' });
    expect(eph.labels?.['flotilla.dev/container-kind']).toBe('ephemeral');
    expect(eph).toMatchObject({ stdin: true, tty: true, stdin_once: false });
    const plain = containerConfig(pod({ hostPID: true }), { name: 'dbg', image: 'busybox:1' }, 'ephemeral', 0, 'busybox:1', []);
    expect(plain.linux?.security_context?.namespace_options).toEqual({ network: 'POD', pid: 'NODE', ipc: 'POD' });
  });
});

describe('volumes in the agent', () => {
  it('mounts hostPath volumes, creating what DirectoryOrCreate/FileOrCreate ask for', () => {
    const dir = path.join(tmp, 'made');
    const file = path.join(tmp, 'file');
    const p = pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'd', hostPath: { path: dir, type: 'DirectoryOrCreate' } }, { name: 'f', hostPath: { path: file, type: 'FileOrCreate' } }] });
    const mounts = containerMounts(p, { name: 'app', volumeMounts: [{ name: 'root', mountPath: '/host' }, { name: 'd', mountPath: '/d', readOnly: true }, { name: 'f', mountPath: '/f' }] });
    expect(mounts).toEqual([
      { container_path: '/host', host_path: '/', readonly: false },
      { container_path: '/d', host_path: dir, readonly: true },
      { container_path: '/f', host_path: file, readonly: false },
    ]);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.statSync(file).isFile()).toBe(true);
  });

  it('fails with the kubelet\'s messages when a type check fails or a volume is missing, and says which types it cannot mount', () => {
    const check = (volumes: NonNullable<Pod['spec']>['volumes'], name = 'v'): string => {
      try {
        containerMounts(pod({ volumes }), { name: 'app', volumeMounts: [{ name, mountPath: '/v' }] });
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(ContainerConfigError);
        return (e as Error).message;
      }
    };
    expect(check([{ name: 'v', hostPath: { path: path.join(tmp, 'absent'), type: 'Directory' } }])).toBe(`hostPath type check failed: ${path.join(tmp, 'absent')} is not a directory`);
    expect(check([{ name: 'v', hostPath: { path: tmp, type: 'File' } }])).toBe(`hostPath type check failed: ${tmp} is not a file`);
    expect(check([], 'nope')).toBe('cannot find volume "nope" to mount into container "app"');
    expect(check([{ name: 'v', emptyDir: {} }])).toBe('volume "v": emptyDir volumes are not supported by this node yet (only hostPath)');
  });
});
