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
import { containerMounts, type VolumePath } from '../../../vm-images/agent/volumes/container-mounts';
import { VolumeManager } from '../../../vm-images/agent/volumes/manager';

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
  const paths = (p: Pod): Promise<Map<string, VolumePath>> => new VolumeManager({ podsDir: path.join(tmp, 'pods') }).setUp(p);

  it('mounts hostPath volumes, creating what DirectoryOrCreate/FileOrCreate ask for', async () => {
    const dir = path.join(tmp, 'made');
    const file = path.join(tmp, 'file');
    const p = pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'd', hostPath: { path: dir, type: 'DirectoryOrCreate' } }, { name: 'f', hostPath: { path: file, type: 'FileOrCreate' } }] });
    const mounts = containerMounts({ name: 'app', volumeMounts: [{ name: 'root', mountPath: '/host' }, { name: 'd', mountPath: '/d', readOnly: true }, { name: 'f', mountPath: '/f', mountPropagation: 'HostToContainer' }] }, await paths(p), []);
    expect(mounts).toEqual([
      { container_path: '/host', host_path: '/', readonly: false },
      { container_path: '/d', host_path: dir, readonly: true },
      { container_path: '/f', host_path: file, readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
    ]);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.statSync(file).isFile()).toBe(true);
  });

  it('fails with the kubelet\'s messages when a type check fails or a volume is missing, and says which types it cannot mount', async () => {
    const check = async (volumes: NonNullable<Pod['spec']>['volumes'], name = 'v'): Promise<string> => {
      try {
        containerMounts({ name: 'app', volumeMounts: [{ name, mountPath: '/v' }] }, await paths(pod({ volumes })), []);
        return 'no error';
      } catch (e) {
        expect(e).toBeInstanceOf(ContainerConfigError);
        return (e as Error).message;
      }
    };
    expect(await check([{ name: 'v', hostPath: { path: path.join(tmp, 'absent'), type: 'Directory' } }])).toBe(`hostPath type check failed: ${path.join(tmp, 'absent')} is not a directory`);
    expect(await check([{ name: 'v', hostPath: { path: tmp, type: 'File' } }])).toBe(`hostPath type check failed: ${tmp} is not a file`);
    expect(await check([], 'nope')).toBe('cannot find volume "nope" to mount into container "app"');
    expect(await check([{ name: 'v', nfs: { server: 's', path: '/' } }])).toBe('volume "v": nfs volumes are not supported by this node');
    expect(await check([{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }])).toBe('persistentVolumeClaim "data": this node has no API client');
  });

  it('mounts subPath (made if missing) and subPathExpr expanded from the container env, never outside the volume', async () => {
    const p = pod({ volumes: [{ name: 'scratch', emptyDir: {} }] });
    const vols = await paths(p);
    const base = vols.get('scratch')?.hostPath ?? '';
    expect(base).toBe(path.join(tmp, 'pods', 'u', 'volumes', 'kubernetes.io~empty-dir', 'scratch'));
    expect(fs.statSync(base).mode & 0o777).toBe(0o777);
    const mounts = containerMounts({ name: 'app', volumeMounts: [
      { name: 'scratch', mountPath: '/a', subPath: 'one/two' }, { name: 'scratch', mountPath: '/b', subPathExpr: '$(POD)/logs' },
    ] }, vols, [{ key: 'POD', value: 'p-1' }]);
    expect(mounts.map((m) => m.host_path)).toEqual([path.join(base, 'one/two'), path.join(base, 'p-1/logs')]);
    expect(fs.statSync(path.join(base, 'p-1/logs')).isDirectory()).toBe(true);
    fs.symlinkSync('/etc', path.join(base, 'escape'));
    const fail = (m: { subPath?: string; subPathExpr?: string }): string => {
      try { containerMounts({ name: 'app', volumeMounts: [{ name: 'scratch', mountPath: '/x', ...m }] }, vols, []); return 'no error'; } catch (e) { return (e as Error).message; }
    };
    expect(fail({ subPath: 'escape' })).toBe(`subPath "escape" resolves outside volume ${base}`);
    expect(fail({ subPathExpr: '/abs' })).toBe('error SubPath `/abs` must not be an absolute path');
    expect(fail({ subPath: 'a/../../x' })).toBe("unable to provision SubPath `a/../../x`: must not contain '..'");
  });
});
