// The pod contract on real containerd with the in-process agent against a real API server: sidecar
// (restartable init) containers — started in order, gating the next init container only until they
// have started, restarted whatever the pod's restartPolicy, counted in the pod's readiness, stopped
// after the regular containers in reverse order, and stopped when a Never pod completes; lifecycle
// hooks — postStart (exec, httpGet) holding the container out of Running until done, a failing one
// killing it with FailedPostStartHook; preStop (exec, sleep) before SIGTERM, FailedPreStopHook;
// security contexts proven inside real containers (id, a read-only /, CapEff, NoNewPrivs, devices) and
// runAsNonRoot refused with the kubelet's CreateContainerConfigError.
import { mkdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import type { Agent } from '../../../vm-images/agent/agent';
import { waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { HELLO, podSpecOf, startAgentStack, stopTestStack, type TestNode } from './support';

describe.skipIf(skipUnlessRoot)('the pod contract on real containerd', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ cluster, node, agent } = await startAgentStack(logs));
  });

  afterAll(() => stopTestStack({ agent, node, cluster }, logs));

  const getPod = (name: string): Promise<Pod> => cluster.client.get<Pod>(R.pods, name, 'default');
  const waitPod = (name: string, what: string, pred: (p: Pod) => boolean, timeoutMs = 30_000): Promise<Pod> =>
    waitFor(async () => { const p = await getPod(name); return pred(p) ? p : undefined; }, `${name}: ${what}`, timeoutMs);
  const createPod = (name: string, spec: Partial<NonNullable<Pod['spec']>>): Promise<Pod> =>
    cluster.client.create<Pod>(R.pods, podSpecOf(name, node.name, { automountServiceAccountToken: false, ...spec }));
  const initStatus = (p: Pod, name: string): NonNullable<NonNullable<Pod['status']>['initContainerStatuses']>[number] | undefined =>
    p.status?.initContainerStatuses?.find((s) => s.name === name);
  const idOf = (cid: string | undefined): string => cid?.replace('containerd://', '') ?? '';
  const condition = (p: Pod, type: string): string | undefined => p.status?.conditions?.find((c) => c.type === type)?.status;
  const events = async (name: string): Promise<Event[]> =>
    (await cluster.client.list<Event>(R.events, { namespace: 'default', fieldSelector: `involvedObject.name=${name}` })).items;
  const uptime = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const deletePod = async (name: string): Promise<void> => {
    await cluster.client.delete(R.pods, name, { namespace: 'default' });
    await waitFor(() => getPod(name).then(() => undefined, () => true), `${name} gone`, 30_000);
  };

  it('starts a sidecar before the next init container, keeps it running beside the app, restarts it, and counts its readiness', async () => {
    await createPod('side', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [
        {
          name: 'proxy', image: HELLO, restartPolicy: 'Always', command: ['sh', '-c', 'touch /shared/proxy-up; exec sleep 1000'],
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          startupProbe: { exec: { command: ['test', '-f', '/shared/proxy-up'] }, periodSeconds: 1 },
          readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        },
        // Runs only once the sidecar has started (its file is there), while the sidecar keeps running.
        { name: 'check', image: HELLO, command: ['sh', '-c', 'test -f /shared/proxy-up'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
      ],
      containers: [{ name: 'app', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'] }],
    });
    const running = await waitPod('side', 'Running, app running', (p) => p.status?.phase === 'Running' && !!p.status.containerStatuses?.[0]?.state?.running);
    expect(initStatus(running, 'check')?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(initStatus(running, 'check')?.restartCount).toBe(0);
    expect(initStatus(running, 'proxy')).toMatchObject({ started: true, ready: false, restartCount: 0 });
    expect(initStatus(running, 'proxy')?.state?.running).toBeTruthy();
    expect(condition(running, 'Initialized')).toBe('True');
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [proxy]',
    });
    const get = await cluster.kubectl(['get', 'pod', 'side']);
    expect(get.stdout).toMatch(/side\s+1\/2\s+Running\s+0/);

    const proxyId = idOf(initStatus(running, 'proxy')?.containerID);
    await node.cri.execSync(proxyId, ['touch', '/tmp/ready'], 5);
    const ready = await waitPod('side', 'Ready', (p) => condition(p, 'Ready') === 'True', 15_000);
    expect(initStatus(ready, 'proxy')?.ready).toBe(true);
    expect((await cluster.kubectl(['get', 'pod', 'side'])).stdout).toMatch(/side\s+2\/2\s+Running\s+0/);

    // A sidecar that exits is restarted (the pod's restartPolicy is Always; it would be under Never too).
    await node.cri.stopContainer(proxyId, 0);
    const restarted = await waitPod('side', 'sidecar restarted', (p) => (initStatus(p, 'proxy')?.restartCount ?? 0) >= 1 && !!initStatus(p, 'proxy')?.state?.running);
    expect(initStatus(restarted, 'proxy')?.lastState?.terminated).toBeTruthy();
    expect(initStatus(restarted, 'check')?.restartCount).toBe(0); // the pod stays initialized: plain init containers do not rerun
    expect(restarted.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(restarted.status?.phase).toBe('Running');
    await deletePod('side');
  });

  it('completes a Never pod when its regular container exits: the sidecar is stopped and the pod Succeeded', async () => {
    await createPod('job', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'logger', image: HELLO, restartPolicy: 'Always', command: ['sh', '-c', 'exec sleep 1000'] }],
      containers: [{ name: 'work', image: HELLO, command: ['sh', '-c', 'sleep 1; echo done'] }],
    });
    const done = await waitPod('job', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
    expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(initStatus(done, 'logger')?.state?.terminated).toBeTruthy();
    expect(initStatus(done, 'logger')?.restartCount).toBe(0);
    expect(done.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    await deletePod('job');
  });

  it('stops the regular containers first, then the sidecars in reverse order, on deletion', async () => {
    const dir = join(node.dir, 'order');
    mkdirSync(dir, { recursive: true });
    const recorder = (name: string): string[] => ['sh', '-c', `trap 'echo ${name} >> /log/order; exit 0' TERM; while true; do sleep 0.1; done`];
    const mount = [{ name: 'log', mountPath: '/log' }];
    await createPod('order', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'log', hostPath: { path: dir } }],
      initContainers: [
        { name: 'first', image: HELLO, restartPolicy: 'Always', command: recorder('first'), volumeMounts: mount },
        { name: 'second', image: HELLO, restartPolicy: 'Always', command: recorder('second'), volumeMounts: mount },
      ],
      containers: [{ name: 'app', image: HELLO, command: recorder('app'), volumeMounts: mount }],
    });
    await waitPod('order', 'Running', (p) => p.status?.phase === 'Running' && !!p.status.containerStatuses?.[0]?.state?.running);
    await deletePod('order');
    expect(readFileSync(join(dir, 'order'), 'utf8').trim().split('\n')).toEqual(['app', 'second', 'first']);
  });

  it('runs postStart right after the start and reports the container Running only once it is done', async () => {
    // The in-process agent shares the test's network namespace: its httpGet hook reaches a server here (host 127.0.0.1).
    const requests: string[] = [];
    const server = http.createServer((req, res) => { requests.push(`${req.method} ${req.url} ${req.headers['user-agent']}`); res.end('ok'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await createPod('post', {
        containers: [
          { name: 'c', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 2; touch /tmp/post'] } } } },
          { name: 'http', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'], lifecycle: { postStart: { httpGet: { host: '127.0.0.1', path: '/poststart', port } } } },
        ],
      });
      const p = await waitPod('post', 'Running', (x) => !!x.status?.containerStatuses?.every((s) => s.state?.running));
      const c = p.status?.containerStatuses?.find((s) => s.name === 'c');
      expect((await node.cri.execSync(idOf(c?.containerID), ['test', '-f', '/tmp/post'], 5)).exit_code).toBe(0);
      expect(p.status?.containerStatuses?.map((s) => s.restartCount)).toEqual([0, 0]);
      expect(requests).toEqual([expect.stringMatching(/^GET \/poststart kube-lifecycle\//)]);
      await deletePod('post');
    } finally {
      server.close();
    }
  });

  it('kills a container whose postStart hook fails (FailedPostStartHook) and restarts it per the restartPolicy', async () => {
    await createPod('postfail', {
      containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo no; exit 2'] } } } }],
    });
    const p = await waitPod('postfail', 'restarted', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toBeTruthy();
    const evs = await waitFor(async () => {
      const list = await events('postfail');
      return list.some((e) => e.reason === 'FailedPostStartHook') && list.some((e) => e.reason === 'Killing') ? list : undefined;
    }, 'FailedPostStartHook and Killing events');
    expect(evs.find((e) => e.reason === 'FailedPostStartHook')).toMatchObject({ type: 'Warning', message: 'PostStartHook failed', involvedObject: { fieldPath: 'spec.containers{c}' } });
    expect(evs.find((e) => e.reason === 'Killing')).toMatchObject({ type: 'Normal', message: 'FailedPostStartHook' });
    expect(p.status?.phase).toBe('Running');
    await deletePod('postfail');
  });

  it('runs preStop before SIGTERM on deletion (exec and sleep), and reports a failing one as FailedPreStopHook', async () => {
    const dir = join(node.dir, 'prestop');
    mkdirSync(dir, { recursive: true });
    const mount = [{ name: 'log', mountPath: '/log' }];
    await createPod('pre', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'log', hostPath: { path: dir } }],
      containers: [
        {
          name: 'exec', image: HELLO, volumeMounts: mount, command: ['sh', '-c', "trap 'echo term >> /log/exec; exit 0' TERM; while true; do sleep 0.1; done"],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /log/exec'] } } },
        },
        {
          name: 'sleep', image: HELLO, volumeMounts: mount, command: ['sh', '-c', "trap 'cut -d\" \" -f1 /proc/uptime > /log/sleep; exit 0' TERM; while true; do sleep 0.1; done"],
          lifecycle: { preStop: { sleep: { seconds: 2 } } },
        },
        { name: 'fails', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'], lifecycle: { preStop: { exec: { command: ['false'] } } } },
      ],
    });
    await waitPod('pre', 'Running', (p) => !!p.status?.containerStatuses?.every((s) => s.state?.running));
    const deletedAt = uptime();
    await deletePod('pre');
    expect(readFileSync(join(dir, 'exec'), 'utf8').trim().split('\n')).toEqual(['prestop', 'term']);
    expect(Number(readFileSync(join(dir, 'sleep'), 'utf8')) - deletedAt).toBeGreaterThanOrEqual(2);
    const failed = await waitFor(async () => (await events('pre')).find((e) => e.reason === 'FailedPreStopHook'), 'the FailedPreStopHook event');
    expect(failed).toMatchObject({ type: 'Warning', message: 'PreStopHook failed', involvedObject: { fieldPath: 'spec.containers{fails}' } });
  });

  it('applies pod and container security contexts in the real containers', async () => {
    const sleeper = { image: HELLO, command: ['sh', '-c', 'exec sleep 1000'] };
    await createPod('secure', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000] },
      volumes: [{ name: 'scratch', emptyDir: {} }],
      containers: [
        { name: 'user', ...sleeper },
        { name: 'override', ...sleeper, securityContext: { runAsUser: 1001 } },
        { name: 'ro', ...sleeper, securityContext: { readOnlyRootFilesystem: true }, volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] },
        { name: 'caps', ...sleeper, securityContext: { runAsUser: 0, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } },
        { name: 'nnp', ...sleeper, securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } },
        { name: 'plain', ...sleeper, securityContext: { runAsUser: 0 } },
        { name: 'priv', ...sleeper, securityContext: { runAsUser: 0, privileged: true } },
      ],
    });
    const p = await waitPod('secure', 'every container running', (x) => x.status?.containerStatuses?.length === 7 && x.status.containerStatuses.every((s) => s.state?.running));
    const run = async (name: string, script: string): Promise<{ code: number; out: string }> => {
      const id = idOf(p.status?.containerStatuses?.find((s) => s.name === name)?.containerID);
      const r = await node.cri.execSync(id, ['sh', '-c', script], 5);
      return { code: r.exit_code, out: `${Buffer.from(r.stdout).toString()}${Buffer.from(r.stderr).toString()}`.trim() };
    };
    const status = async (name: string, key: string): Promise<string> => (await run(name, `grep '^${key}:' /proc/self/status`)).out.split(/\s+/)[1] ?? '';

    expect((await run('user', 'id -u; id -g; id -G')).out.split('\n')).toEqual(['1000', '3000', expect.stringMatching(/^3000 (.* )?2000 4000$/)]);
    expect((await run('override', 'id -u; id -g')).out).toBe('1001\n3000');
    const ro = await run('ro', 'touch /rootfile');
    expect(ro.code).not.toBe(0);
    expect(ro.out).toMatch(/Read-only file system/);
    expect((await run('ro', 'touch /scratch/ok && echo ok')).out).toBe('ok');
    expect(await status('caps', 'CapEff')).toBe('0000000000001000'); // CAP_NET_ADMIN (12) alone
    expect(await status('nnp', 'NoNewPrivs')).toBe('1');
    expect(await status('plain', 'NoNewPrivs')).toBe('0');
    expect(await status('plain', 'CapEff')).toBe('00000000a80425fb'); // containerd's default set
    const hostCaps = readFileSync('/proc/self/status', 'utf8').match(/^CapBnd:\s+(\S+)/m)?.[1];
    expect(await status('priv', 'CapEff')).toBe(hostCaps);
    expect((await run('priv', 'test -c /dev/kmsg && echo device')).out).toBe('device');
    expect((await run('plain', 'test -e /dev/kmsg || echo none')).out).toBe('none');
    await deletePod('secure');
  });

  it('refuses to run a root image under runAsNonRoot: CreateContainerConfigError with the kubelet\'s message', async () => {
    const created = await createPod('nonroot', {
      securityContext: { runAsNonRoot: true },
      containers: [
        { name: 'root', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'] },
        { name: 'user', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'], securityContext: { runAsUser: 1000 } },
      ],
    });
    const message = `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${created.metadata?.uid})", container: root)`;
    const p = await waitPod('nonroot', 'root refused, user running', (x) =>
      x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' && !!x.status.containerStatuses[1]?.state?.running);
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(message);
    const failed = await waitFor(async () => (await events('nonroot')).find((e) => e.reason === 'Failed'), 'Failed event');
    expect(failed).toMatchObject({ type: 'Warning', message: `Error: ${message}`, involvedObject: { fieldPath: 'spec.containers{root}' } });
    await deletePod('nonroot');
  });

  it('starts an ephemeral container (kubectl debug --target) in its target\'s PID namespace, once', async () => {
    await createPod('debugme', { containers: [{ name: 'app', image: HELLO, command: ['sh', '-c', 'exec sleep 1000'] }] });
    const running = await waitPod('debugme', 'Running', (p) => !!p.status?.containerStatuses?.[0]?.state?.running);
    const r = await cluster.kubectl(['debug', 'debugme', `--image=${HELLO}`, '--target=app', '-c', 'dbg', '--', 'sh', '-c', 'cat /proc/1/cmdline']);
    expect(r.code, r.stderr).toBe(0);
    const p = await waitPod('debugme', 'dbg finished', (x) => !!x.status?.ephemeralContainerStatuses?.find((s) => s.name === 'dbg')?.state?.terminated);
    expect(p.status?.ephemeralContainerStatuses?.[0]).toMatchObject({ name: 'dbg', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    const uid = running.metadata?.uid ?? '';
    // PID 1 of the target's namespace is the app's sleep.
    expect(readFileSync(join(node.config.logDir, `default_debugme_${uid}`, 'dbg', '0.log'), 'utf8')).toContain('sleep');
    await deletePod('debugme');
  });
});
