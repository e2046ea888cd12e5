// Restart policy with backoff, probes and image pulls against a real containerd.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PodManager } from '../../../vm-images/agent/pods/manager';
import type { PodEvent } from '../../../vm-images/agent/pods/events';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { logMessages, makePod, podRunner, skipUnlessRoot, uidOf, waitFor, waitStatus } from './support';

const HELLO = 'docker.io/flotilla/hello:1';

describe.skipIf(skipUnlessRoot)('restarts, probes and pulls', () => {
  let t: TestContainerd;
  let pm: PodManager;
  const events: PodEvent[] = [];

  beforeAll(async () => {
    t = await startTestContainerd();
    pm = new PodManager(t.cri, { logDir: t.logDir, cgroupParent: t.cgroupParent, syncIntervalMs: 200, backoffBaseMs: 400, backoffMaxMs: 3000 });
    pm.on('event', (_uid, ev) => events.push(ev));
  });
  const run = podRunner(() => ({ pm, t }));

  it('backs a crashing container off with CrashLoopBackOff and a growing restartCount', async () => {
    const pod = await run(makePod('crasher', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'echo attempt; exit 1'] }]));
    const st = await waitStatus(pm, pod, 'CrashLoopBackOff with 2 restarts', (s) =>
      (s.containerStatuses?.[0]?.restartCount ?? 0) >= 2 && s.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 20_000);
    const cs = st.containerStatuses?.[0];
    expect(st.phase).toBe('Running');
    expect(cs?.state?.waiting?.message).toMatch(/^back-off \d+m?s restarting failed container=c pod=crasher_default\(/);
    expect(cs?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs?.ready).toBe(false);
    expect(st.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [c]' });
    const dir = join(t.logDir, `default_crasher_${uidOf(pod)}`, 'c');
    const n = cs?.restartCount ?? 0;
    expect(logMessages(join(dir, `${n}.log`))).toEqual(['attempt']);
    expect(existsSync(join(dir, `${n - 1}.log`))).toBe(true);
    expect(pm.logPath(uidOf(pod), 'c')).toBe(join(dir, `${n}.log`));
    expect(pm.logPath(uidOf(pod), 'c', true)).toBe(join(dir, `${n - 1}.log`));
    expect(events.filter((e) => e.reason === 'BackOff').length).toBeGreaterThan(0);
    const more = await waitStatus(pm, pod, 'more restarts', (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) > n, 20_000);
    expect(more.containerStatuses?.[0]?.restartCount).toBeGreaterThan(n);
  });

  it('OnFailure restarts a failing container but not a succeeding one', async () => {
    const failing = await run(makePod('onfail', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'exit 2'] }], { restartPolicy: 'OnFailure' }));
    const done = await run(makePod('onok', [{ name: 'c', image: HELLO, command: ['true'] }], { restartPolicy: 'OnFailure' }));
    const st = await waitStatus(pm, failing, 'restarted', (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && s.containerStatuses?.[0]?.lastState?.terminated !== undefined, 20_000);
    expect(st.phase).toBe('Running');
    expect(st.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const ok = await waitStatus(pm, done, 'Succeeded', (s) => s.phase === 'Succeeded');
    expect(ok.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  });

  it('restarts a container whose liveness probe fails', async () => {
    const pod = await run(makePod('live', [{
      name: 'c', image: HELLO, command: ['sh', '-c', 'touch /tmp/alive; sleep 1; rm /tmp/alive; exec sleep 1000'],
      livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 2, terminationGracePeriodSeconds: 1 },
    }]));
    const first = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    const id = first.containerStatuses?.[0]?.containerID;
    const st = await waitStatus(pm, pod, 'restart after liveness failure', (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && s.containerStatuses?.[0]?.state?.running !== undefined, 20_000);
    expect(st.containerStatuses?.[0]?.containerID).not.toBe(id);
    expect(st.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
    expect(events).toEqual(expect.arrayContaining([
      // The kubelet's words: the exec probe's output, nothing of ours around it.
      expect.objectContaining({ type: 'Warning', reason: 'Unhealthy', fieldPath: 'spec.containers{c}', message: 'Liveness probe failed: cat: can\'t open \'/tmp/alive\': No such file or directory\n' }),
      expect.objectContaining({ type: 'Normal', reason: 'Killing', message: 'Container c failed liveness probe, will be restarted' }),
    ]));
  });

  it('runs gRPC probes: a port without the health protocol is never ready, and fails liveness with the kubelet\'s message', async () => {
    // The hello server answers HTTP/1.1 on 8080 (no gRPC); nothing listens on 9090.
    const spec = makePod('grpc-live', [{
      name: 'c', image: HELLO, ports: [{ containerPort: 8080 }],
      readinessProbe: { grpc: { port: 8080 }, periodSeconds: 1, timeoutSeconds: 1 },
      livenessProbe: { grpc: { port: 9090, service: 'app' }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 1, terminationGracePeriodSeconds: 1 },
    }]);
    const mine: PodEvent[] = [];
    pm.on('event', (uid, ev) => { if (uid === uidOf(spec)) mine.push(ev); });
    const pod = await run(spec);
    const first = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    expect(first.containerStatuses?.[0]?.ready).toBe(false);
    const ip = first.podIP;
    const st = await waitStatus(pm, pod, 'restart after gRPC liveness failure', (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000);
    expect(st.containerStatuses?.[0]?.ready).toBe(false);
    expect(mine).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'Warning', reason: 'Unhealthy', fieldPath: 'spec.containers{c}',
        message: `Liveness probe failed: timeout: failed to connect service "${ip}:9090" within 1s: context deadline exceeded` }),
      // An HTTP/1.1 server is no HTTP/2 peer: the connection never becomes ready, as grpc-go's dial sees it.
      expect.objectContaining({ type: 'Warning', reason: 'Unhealthy', fieldPath: 'spec.containers{c}',
        message: `Readiness probe failed: timeout: failed to connect service "${ip}:8080" within 1s: context deadline exceeded` }),
      expect.objectContaining({ type: 'Normal', reason: 'Killing', message: 'Container c failed liveness probe, will be restarted' }),
    ]));
  });

  it('fails an exec probe that times out, and reports one the runtime cannot run as errored without counting it', async () => {
    const spec = makePod('exec-probes', [
      { name: 'slow', image: HELLO, command: ['sleep', '1000'], readinessProbe: { exec: { command: ['sleep', '5'] }, periodSeconds: 1, timeoutSeconds: 1 } },
      { name: 'nobin', image: HELLO, command: ['sleep', '1000'], livenessProbe: { exec: { command: ['/no-such-binary'] }, periodSeconds: 1, failureThreshold: 1 } },
    ]);
    const mine: PodEvent[] = [];
    pm.on('event', (uid, ev) => { if (uid === uidOf(spec)) mine.push(ev); });
    const pod = await run(spec);
    await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    const errored = (): PodEvent[] => mine.filter((e) => e.fieldPath === 'spec.containers{nobin}' && e.message.startsWith('Liveness probe errored: '));
    await waitFor('3 errored liveness attempts and a timed-out readiness probe',
      () => errored().length >= 3 && mine.some((e) => e.fieldPath === 'spec.containers{slow}' && e.reason === 'Unhealthy'), 30_000);
    // The kubelet's words for the timeout (its CRI client's, for an ExecSync past its deadline).
    expect(mine).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'Warning', reason: 'Unhealthy', fieldPath: 'spec.containers{slow}', message: 'Readiness probe failed: command "sleep 5" timed out' }),
    ]));
    expect(errored()[0]).toMatchObject({ type: 'Warning', reason: 'Unhealthy' });
    expect(errored()[0]?.message).toMatch(/^Liveness probe errored: rpc error: code = \w+ desc = .*no-such-binary/);
    // failureThreshold 1, three errored attempts: none counted, so the container was not restarted.
    const st = pm.status(uidOf(pod));
    expect(st?.containerStatuses?.find((c) => c.name === 'nobin')?.restartCount).toBe(0);
    expect(mine.some((e) => e.reason === 'Killing')).toBe(false);
  });

  it('reports readiness from readiness probes (httpGet, tcpSocket, exec) and flips false → true', async () => {
    const pod = await run(makePod('ready', [
      { name: 'web', image: HELLO, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 } },
      { name: 'closed', image: HELLO, command: ['sleep', '1000'], readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1 } },
      { name: 'later', image: HELLO, command: ['sh', '-c', 'sleep 2; touch /tmp/ready; exec sleep 1000'], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 } },
    ]));
    const early = await waitStatus(pm, pod, 'web ready', (s) => s.containerStatuses?.[0]?.ready === true);
    expect(early.phase).toBe('Running');
    expect(early.containerStatuses?.[1]?.ready).toBe(false);
    expect(early.containerStatuses?.[2]?.ready).toBe(false);
    const later = await waitStatus(pm, pod, 'later ready', (s) => s.containerStatuses?.[2]?.ready === true, 10_000);
    expect(later.containerStatuses?.[1]?.ready).toBe(false);
    expect(later.containerStatuses?.[1]?.started).toBe(true);
    expect(later.conditions?.find((c) => c.type === 'ContainersReady')).toMatchObject({ status: 'False', message: 'containers with unready status: [closed]' });
  });

  it('holds liveness/readiness until a startup probe succeeds', async () => {
    const pod = await run(makePod('startup', [{
      name: 'c', image: HELLO, command: ['sh', '-c', 'sleep 2; touch /tmp/up; exec sleep 1000'],
      startupProbe: { exec: { command: ['cat', '/tmp/up'] }, periodSeconds: 1, failureThreshold: 10 },
    }]));
    const before = await waitStatus(pm, pod, 'Running, not started', (s) => s.phase === 'Running');
    expect(before.containerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    const after = await waitStatus(pm, pod, 'started', (s) => s.containerStatuses?.[0]?.started === true, 10_000);
    expect(after.containerStatuses?.[0]).toMatchObject({ ready: true, restartCount: 0 });
  });

  it('reports ErrImagePull then ImagePullBackOff for an image that cannot be pulled, and ErrImageNeverPull', async () => {
    const pod = await run(makePod('noimage', [{ name: 'c', image: '127.0.0.1:1/flotilla/missing:1' }]));
    const st = await waitStatus(pm, pod, 'ErrImagePull', (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull', 30_000);
    const msg = st.containerStatuses?.[0]?.state?.waiting?.message ?? '';
    expect(msg).toMatch(/^rpc error: code = \w+ desc = failed to pull and unpack image "127\.0\.0\.1:1\/flotilla\/missing:1"/);
    expect(st.phase).toBe('Pending');
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'Pulling', message: 'Pulling image "127.0.0.1:1/flotilla/missing:1"' })]));
    await waitStatus(pm, pod, 'ImagePullBackOff', (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', 10_000);

    const never = await run(makePod('never', [{ name: 'c', image: 'docker.io/flotilla/absent:1', imagePullPolicy: 'Never' }]));
    const ns = await waitStatus(pm, never, 'ErrImageNeverPull', (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull');
    expect(ns.containerStatuses?.[0]?.state?.waiting?.message).toBe('Container image "docker.io/flotilla/absent:1" is not present with pull policy of Never');
  });
});
