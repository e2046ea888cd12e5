// A real containerd + CNI bridge: pods start, serve on their IP, finish, get env, terminate, and are adopted.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { PodManager, type PodManagerOptions } from '../../../vm-images/agent/pods/manager';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { logMessages, makePod, podRunner, skipUnlessRoot, uidOf, waitFor, waitStatus } from './support';

const HELLO = 'docker.io/flotilla/hello:1';

describe.skipIf(skipUnlessRoot)('pod lifecycle on containerd', () => {
  let t: TestContainerd;
  let pm: PodManager;
  const manager = (extra: Partial<PodManagerOptions> = {}): PodManager => new PodManager(t.cri, {
    logDir: t.logDir, cgroupParent: t.cgroupParent, hostIP: t.gateway, syncIntervalMs: 200, backoffBaseMs: 300,
    lookup: async (kind, ns, name) => (kind === 'ConfigMap' && ns === 'default' && name === 'cfg' ? { GREETING: 'hi', OTHER: 'x' } : undefined),
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestContainerd();
    pm = manager();
  });
  const run = podRunner(() => ({ pm, t }));

  it('runs the hello pod and answers HTTP on the pod IP through the bridge', async () => {
    const pod = makePod('hello', [{ name: 'web', image: HELLO, ports: [{ containerPort: 8080 }] }]);
    const t0 = Date.now();
    await run(pod);
    const st = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running' && s.containerStatuses?.[0]?.ready === true);
    const ms = Date.now() - t0;
    console.log(`hello pod create → Running: ${ms} ms`);
    expect(st.podIP).toMatch(new RegExp(`^${t.subnet.split('.').slice(0, 3).join('\\.')}\\.`));
    expect(st.podIPs).toEqual([{ ip: st.podIP }]);
    expect(st.hostIP).toBe(t.gateway);
    expect(st.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const cs = st.containerStatuses?.[0];
    expect(cs).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, image: HELLO, lastState: {} });
    expect(cs?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs?.imageID).toMatch(/sha256:[0-9a-f]{64}$/);
    expect(cs?.state?.running?.startedAt).toMatch(/Z$/);
    expect(st.qosClass).toBe('BestEffort');

    const body = await waitFor('HTTP answer', async () => {
      const res = await fetch(`http://${st.podIP}:8080/ping`);
      return res.status === 200 ? res.text() : undefined;
    }, 5000);
    expect(body).toContain('hello');
    expect(body).toContain(st.podIP);
    const log = join(t.logDir, `default_hello_${uidOf(pod)}`, 'web', '0.log');
    await waitFor('request logged', () => logMessages(log).some((m) => m.includes('GET /ping 200')), 5000);

    // A connection closed before its request line (a TCP probe) is closed in turn, unanswered and not logged.
    const answer = await new Promise<string>((resolve, reject) => {
      let got = '';
      const sock = connect(8080, st.podIP as string, () => sock.end());
      sock.on('data', (d: Buffer) => (got += d.toString()));
      sock.on('error', reject);
      sock.on('close', () => resolve(got));
    });
    expect(answer).toBe('');
    expect((await fetch(`http://${st.podIP}:8080/after`)).status).toBe(200);
    await waitFor('second request logged', () => logMessages(log).some((m) => m.includes('GET /after 200')), 5000);
    expect(logMessages(log).filter((m) => m.endsWith(' 200')).map((m) => m.replace(/^\S+ /, ''))).toEqual(['GET /ping 200', 'GET /after 200']);
  });

  it('names a new pod\'s images, its init containers\' first, as wanted before its first pass makes anything', async () => {
    // The agent sends the node's tarballs that bring them ahead then, so that they go in while the sandbox is made.
    const wanted: string[] = [];
    await pm.close();
    pm = manager({ imagesWanted: (image) => wanted.push(image) });
    const pod = makePod('wants', [{ name: 'web', image: HELLO }], { initContainers: [{ name: 'init', image: 'docker.io/flotilla/counter:1', command: ['true'] }] });
    const first = run(pod);
    expect(wanted).toEqual(['docker.io/flotilla/counter:1', HELLO]);
    expect(await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(pod) } })).toEqual([]);
    await first;
    await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    await pm.sync(pod); // a pod it knows: not wanted again
    expect(wanted).toEqual(['docker.io/flotilla/counter:1', HELLO]);
  });

  it('reports Completed / Succeeded and Error / Failed for exiting containers', async () => {
    const ok = await run(makePod('ok', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'echo done'] }], { restartPolicy: 'Never' }));
    const bad = await run(makePod('bad', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'exit 3'] }], { restartPolicy: 'Never' }));
    const okSt = await waitStatus(pm, ok, 'Succeeded', (s) => s.phase === 'Succeeded');
    expect(okSt.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(okSt.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const badSt = await waitStatus(pm, bad, 'Failed', (s) => s.phase === 'Failed');
    // A finished pod's sandbox is stopped (IP and pause process given back); its status keeps the pod IP.
    const boxes = await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(ok) } });
    await waitFor('sandbox stopped', async () => (await t.cri.listPodSandbox({ id: boxes[0]?.id }))[0]?.state === 'SANDBOX_NOTREADY');
    const after = await waitStatus(pm, ok, 'not ready to start', (s) => s.conditions?.[0]?.status === 'False');
    expect(after.phase).toBe('Succeeded');
    expect(after.podIP).toBe(okSt.podIP);
    expect(badSt.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(badSt.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('reports the termination message: the file at terminationMessagePath, or the log tail with FallbackToLogsOnError', async () => {
    const file = await run(makePod('tmfile', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'echo "disk full" > /dev/termination-log; exit 2'] }], { restartPolicy: 'Never' }));
    const custom = await run(makePod('tmcustom', [{ name: 'c', image: HELLO, terminationMessagePath: '/tmp/why', command: ['sh', '-c', 'printf bye > /tmp/why'] }], { restartPolicy: 'Never' }));
    const logs = await run(makePod('tmlogs', [{
      name: 'c', image: HELLO, terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo starting; echo "panic: no config"; exit 1'],
    }], { restartPolicy: 'Never' }));
    const quiet = await run(makePod('tmquiet', [{ name: 'c', image: HELLO, terminationMessagePolicy: 'FallbackToLogsOnError', command: ['sh', '-c', 'echo fine'] }], { restartPolicy: 'Never' }));
    const term = async (p: Pod) => (await waitStatus(pm, p, 'finished', (s) => s.phase === 'Succeeded' || s.phase === 'Failed')).containerStatuses?.[0]?.state?.terminated;
    expect(await term(file)).toMatchObject({ exitCode: 2, reason: 'Error', message: 'disk full\n' });
    expect(await term(custom)).toMatchObject({ exitCode: 0, message: 'bye' });
    expect(await term(logs)).toMatchObject({ exitCode: 1, message: 'starting\npanic: no config\n' });
    // FallbackToLogsOnError takes the log only on failure.
    expect((await term(quiet))?.message).toBeUndefined();
  });

  it('shareProcessNamespace: the containers see each other\'s processes; without it they do not', async () => {
    const containers = [
      { name: 'sleeper', image: HELLO, command: ['sh', '-c', 'exec sleep 3600'] },
      { name: 'looker', image: HELLO, command: ['sh', '-c', 'sleep 1; ps; sleep 3600'] },
    ];
    const shared = await run(makePod('shared', containers, { shareProcessNamespace: true }));
    const apart = await run(makePod('apart', containers));
    const psOf = (p: Pod) => join(t.logDir, `default_${p.metadata?.name}_${uidOf(p)}`, 'looker', '0.log');
    await waitFor('ps output (shared)', () => logMessages(psOf(shared)).some((m) => /PID/.test(m)) && logMessages(psOf(shared)), 15_000);
    await waitFor('ps output (apart)', () => logMessages(psOf(apart)).some((m) => /PID/.test(m)) && logMessages(psOf(apart)), 15_000);
    expect(logMessages(psOf(shared)).some((m) => /sleep 3600$/.test(m) && !/sh -c/.test(m))).toBe(true);
    expect(logMessages(psOf(apart)).some((m) => /sleep 3600$/.test(m) && !/sh -c/.test(m))).toBe(false);
  });

  it('reports OOMKilled for a container over its memory limit and StartError for a missing executable', async () => {
    const oom = await run(makePod('oom', [{ name: 'c', image: HELLO, command: ['sh', '-c', 'x=$(head -c 64000000 /dev/zero | tr "\\0" a); echo ${#x}'], resources: { limits: { memory: '16Mi' } } }], { restartPolicy: 'Never' }));
    const noexec = await run(makePod('noexec', [{ name: 'c', image: HELLO, command: ['/nonexistent'] }], { restartPolicy: 'Never' }));
    const o = await waitStatus(pm, oom, 'OOMKilled', (s) => s.phase === 'Failed');
    expect(o.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    const n = await waitStatus(pm, noexec, 'StartError', (s) => s.phase === 'Failed');
    expect(n.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(n.containerStatuses?.[0]?.state?.terminated?.message).toContain('/nonexistent');
  });

  it('runs init containers in order before the app containers, and fails the pod when one fails with Never', async () => {
    const pod = await run(makePod('withinit', [{ name: 'web', image: HELLO }], {
      initContainers: [{ name: 'one', image: HELLO, command: ['sh', '-c', 'echo one'] }, { name: 'two', image: HELLO, command: ['sh', '-c', 'sleep 1; echo two'] }],
    }));
    const pending = await waitStatus(pm, pod, 'initializing', (s) => s.initContainerStatuses?.[1]?.state?.running !== undefined);
    expect(pending.phase).toBe('Pending');
    expect(pending.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(pending.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [two]' });
    const st = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    expect(st.initContainerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(st.initContainerStatuses?.map((c) => c.ready)).toEqual([true, true]);
    expect(st.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');

    const failing = await run(makePod('badinit', [{ name: 'web', image: HELLO }], { restartPolicy: 'Never', initContainers: [{ name: 'boom', image: HELLO, command: ['sh', '-c', 'exit 7'] }] }));
    const f = await waitStatus(pm, failing, 'Failed', (s) => s.phase === 'Failed');
    expect(f.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    expect(f.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
  });

  it('shows the init containers done while the app container\'s image is awaited, as the kubelet\'s SyncPod', async () => {
    // The pass that waits for the image (here the node's image tarball that may bring it, held by the test; a pull is
    // as long) publishes the runtime's state first (kubectl: PodInitializing, not Init:0/1).
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const gated = manager({ imagesImported: (image) => (image.includes('/held:') ? held : Promise.resolve()) });
    // imagePullPolicy Never: once the gate opens the image is still absent and the container fails at once
    // (ErrImageNeverPull), with no network in the test. The init container outlives the first passes (sleep 1), so
    // that only the pass held at the gate can show it done.
    const slow = makePod('heldimage', [{ name: 'web', image: 'example.invalid/held:1', imagePullPolicy: 'Never' }], {
      initContainers: [{ name: 'one', image: HELLO, command: ['sh', '-c', 'sleep 1; echo one'] }],
    });
    // Not awaited before the gate opens: sync() resolves after a full pass, and the pass after the first may be the one
    // that waits at the gate.
    const synced = gated.sync(slow);
    try {
      const waiting = await waitStatus(gated, slow, 'init done while the app image is awaited', (s) => s.initContainerStatuses?.[0]?.state?.terminated !== undefined, 30_000);
      expect(waiting.initContainerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
      expect(waiting.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
      expect(waiting.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
      release();
      await synced;
      await waitStatus(gated, slow, 'ErrImageNeverPull once the gate opens', (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull', 30_000);
    } finally {
      release();
      await synced;
      await gated.remove(uidOf(slow));
      await gated.close();
    }
  });

  it('recreates a lost sandbox and keeps counting restarts', async () => {
    const events: string[] = [];
    const off = pm.on('event', (uid, ev) => events.push(`${uid} ${ev.type} ${ev.reason} ${ev.message}`));
    const pod = await run(makePod('resandbox', [{ name: 'web', image: HELLO }], { initContainers: [{ name: 'setup', image: HELLO, command: ['true'] }] }));
    const before = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    expect(before.initContainerStatuses?.[0]).toMatchObject({ restartCount: 0, lastState: {}, state: { terminated: { reason: 'Completed' } } });
    const [box] = await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(pod) } });
    await t.cri.stopPodSandbox(box?.id ?? '');
    const after = await waitStatus(pm, pod, 'running in a new sandbox', (s) => s.phase === 'Running' && s.containerStatuses?.[0]?.restartCount === 1 && s.containerStatuses?.[0]?.ready === true)
      .finally(off);
    // As the kubelet's SyncPod: said once, when the new sandbox is made (not for the pod's first one).
    expect(events.filter((e) => e.startsWith(uidOf(pod)) && e.includes('Sandbox'))).toEqual([`${uidOf(pod)} Normal SandboxChanged Pod sandbox changed, it will be killed and re-created.`]);
    expect(after.containerStatuses?.[0]?.containerID).not.toBe(before.containerStatuses?.[0]?.containerID);
    // The earlier sandbox is kept, stopped, with its container: the last state and the previous log are read from it.
    const boxes = await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(pod) } });
    expect(boxes.map((b) => [b.metadata?.attempt, b.state]).sort()).toEqual([[0, 'SANDBOX_NOTREADY'], [1, 'SANDBOX_READY']]);
    expect(after.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ containerID: before.containerStatuses?.[0]?.containerID });
    expect(after.containerStatuses?.[0]?.lastState?.terminated?.finishedAt).toBeTruthy();
    // The init container ran again in the new sandbox (as the kubelet's SyncPod does), counted as a restart, its earlier
    // run its last state.
    expect(after.initContainerStatuses?.[0]).toMatchObject({
      restartCount: 1, state: { terminated: { reason: 'Completed', exitCode: 0 } },
      lastState: { terminated: { reason: 'Completed', containerID: before.initContainerStatuses?.[0]?.containerID } },
    });
    expect(after.initContainerStatuses?.[0]?.containerID).not.toBe(before.initContainerStatuses?.[0]?.containerID);
    expect(existsSync(join(t.logDir, `default_resandbox_${uidOf(pod)}`, 'web', '1.log'))).toBe(true);
    expect(pm.logPath(uidOf(pod), 'web', true)).toBe(join(t.logDir, `default_resandbox_${uidOf(pod)}`, 'web', '0.log'));
    expect(existsSync(pm.logPath(uidOf(pod), 'web', true) ?? '')).toBe(true);

    // Once the container has restarted in the new sandbox its last state is from there: the earlier sandbox goes.
    await t.cri.stopContainer((after.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', ''), 0);
    const again = await waitStatus(pm, pod, 'restarted in the new sandbox', (s) => s.containerStatuses?.[0]?.restartCount === 2 && s.containerStatuses?.[0]?.ready === true);
    expect(again.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ containerID: after.containerStatuses?.[0]?.containerID });
    await pm.sync(pod);
    const left = await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(pod) } });
    expect(left.map((b) => [b.metadata?.attempt, b.state])).toEqual([[1, 'SANDBOX_READY']]);
  });

  it('passes command, args, env values, downward API and ConfigMap refs', async () => {
    const pod = await run(makePod('envpod', [{
      name: 'c', image: HELLO, command: ['sh', '-c'], args: ['echo "name=$POD_NAME ns=$POD_NS ip=$POD_IP greet=$GREETING x=$(PLAIN) host=$(hostname)"'],
      env: [
        { name: 'PLAIN', value: 'v1' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'GREETING' } } },
      ],
      resources: { limits: { cpu: '200m', memory: '64Mi' } },
    }], { restartPolicy: 'Never' }));
    const st = await waitStatus(pm, pod, 'Succeeded', (s) => s.phase === 'Succeeded');
    expect(st.qosClass).toBe('Guaranteed');
    const lines = logMessages(join(t.logDir, `default_envpod_${uidOf(pod)}`, 'c', '0.log'));
    expect(lines).toEqual([`name=envpod ns=default ip=${st.podIP} greet=hi x=v1 host=envpod`]);

    const missing = await run(makePod('missingcfg', [{ name: 'c', image: HELLO, env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }]));
    const ms = await waitStatus(pm, missing, 'CreateContainerConfigError', (s) => s.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    expect(ms.containerStatuses?.[0]?.state?.waiting?.message).toBe('secret "nope" not found');
    expect(ms.phase).toBe('Pending');
  });

  it('terminates gracefully: SIGTERM honoured at once, SIGKILL after the grace period otherwise', async () => {
    const polite = await run(makePod('polite', [{ name: 'web', image: HELLO }]));
    const stubborn = await run(makePod('stubborn', [{ name: 'c', image: HELLO, command: ['sleep', '1000'] }]));
    await waitStatus(pm, polite, 'Running', (s) => s.phase === 'Running');
    await waitStatus(pm, stubborn, 'Running', (s) => s.phase === 'Running');

    let t0 = Date.now();
    await pm.terminate(polite, 10);
    const politeMs = Date.now() - t0;
    expect(politeMs).toBeLessThan(3000);
    expect(pm.status(uidOf(polite))?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0 });
    expect(pm.status(uidOf(polite))?.phase).toBe('Succeeded');

    t0 = Date.now();
    await pm.terminate(stubborn, 2);
    const stubbornMs = Date.now() - t0;
    expect(stubbornMs).toBeGreaterThanOrEqual(1900);
    expect(stubbornMs).toBeLessThan(6000);
    const term = pm.status(uidOf(stubborn))?.containerStatuses?.[0]?.state?.terminated;
    expect(term).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(pm.status(uidOf(stubborn))?.containerStatuses?.[0]?.ready).toBe(false);
    console.log(`terminate: polite ${politeMs} ms, stubborn (grace 2 s) ${stubbornMs} ms`);
  });

  it('adopts running pods in a new PodManager without restarting them', async () => {
    const pod = await run(makePod('adoptee', [{ name: 'web', image: HELLO }]));
    const before = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    const id = before.containerStatuses?.[0]?.containerID;
    await pm.close();
    pm = manager();
    const adopted = await pm.adopt();
    expect(adopted.find((a) => a.uid === uidOf(pod))).toMatchObject({ name: 'adoptee', namespace: 'default', ready: true });
    await pm.sync(pod);
    const after = await waitStatus(pm, pod, 'Running again', (s) => s.phase === 'Running' && s.containerStatuses?.[0]?.ready === true);
    expect(after.containerStatuses?.[0]?.containerID).toBe(id);
    expect(after.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(after.podIP).toBe(before.podIP);
    expect(after.containerStatuses?.[0]?.state?.running?.startedAt).toBe(before.containerStatuses?.[0]?.state?.running?.startedAt);
  });

  it('keeps pods running across a containerd restart and adopts them afterwards', async () => {
    const pod = await run(makePod('survivor', [{ name: 'web', image: HELLO }]));
    const before = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    await pm.close();
    await t.restartContainerd();
    const res = await fetch(`http://${before.podIP}:8080/`);
    expect(res.status).toBe(200);
    pm = manager();
    await pm.sync(pod);
    const after = await waitStatus(pm, pod, 'Running after restart', (s) => s.phase === 'Running' && s.containerStatuses?.[0]?.ready === true);
    expect(after.containerStatuses?.[0]?.containerID).toBe(before.containerStatuses?.[0]?.containerID);
    expect(after.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('terminates a pod it has not synced since starting (deleted while the agent was down)', async () => {
    const pod = await run(makePod('orphan', [{ name: 'web', image: HELLO }]));
    const before = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    await pm.close();
    pm = manager();
    await pm.terminate(pod, 5);
    const id = (before.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', '');
    expect((await t.cri.containerStatus(id)).state).toBe('CONTAINER_EXITED');
    const [box] = await t.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': uidOf(pod) } });
    expect(box?.state).toBe('SANDBOX_NOTREADY');
  });

  it('cleans up runtime pods and logs of pods it no longer knows', async () => {
    const pod = await run(makePod('stale', [{ name: 'web', image: HELLO }]));
    await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
    await pm.close();
    pm = manager();
    const removed = await pm.cleanup([]);
    expect(removed).toContain(uidOf(pod));
    expect((await pm.adopt()).map((a) => a.uid)).not.toContain(uidOf(pod));
  });

  it('fails a pod past its activeDeadlineSeconds (DeadlineExceeded) and stops it, as the kubelet\'s activeDeadlineHandler', async () => {
    const events: string[] = [];
    const off = pm.on('event', (_uid, ev) => events.push(`${ev.type} ${ev.reason} ${ev.message}`));
    try {
      // sleep as PID 1 ignores SIGTERM: its container runs out the 8 s grace period, and the pod is Failed before that.
      // 5 s: the pod runs before its deadline even on a busy machine (1–2 s to Running in CI's parallel lanes).
      const pod = await run(makePod('deadline', [{ name: 'c', image: HELLO, command: ['sleep', '300'] }], { restartPolicy: 'Never', activeDeadlineSeconds: 5, terminationGracePeriodSeconds: 8 }));
      const running = await waitStatus(pm, pod, 'Running', (s) => s.phase === 'Running');
      const failing = await waitStatus(pm, pod, 'Failed', (s) => s.phase === 'Failed');
      expect(failing).toMatchObject({ reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
      expect(failing.containerStatuses?.[0]?.state?.running).toBeDefined();
      const st = await waitStatus(pm, pod, 'its container stopped', (s) => !!s.containerStatuses?.[0]?.state?.terminated, 20_000);
      expect(st).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
      expect(st.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
      expect(Date.parse(st.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(running.startTime ?? '') + 5000);
      expect(events).toContain('Normal DeadlineExceeded Pod was active on the node longer than the specified deadline');
      const id = (st.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', '');
      expect((await t.cri.containerStatus(id)).state).toBe('CONTAINER_EXITED');
    } finally {
      off();
    }
  });
});
