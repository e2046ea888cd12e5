// @vitest-environment happy-dom
// Alerts once per episode: a crash loop, a failing image pull, a node going NotReady raise one alert each, not one per
// watch event; again only after they recovered (a crash loop: its container ran RECOVERY_MS without crashing) and
// broke again. Plus the terminal's pure helpers: base64 both ways, how a session's end reads, which containers run,
// which node is a Machine.
import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import { setTransport } from '../../../renderer/src/bridge/client';
import { usePodsStore } from '../../../renderer/src/stores/pods';
import { useNodesStore } from '../../../renderer/src/stores/nodes';
import { useNoticesStore } from '../../../renderer/src/stores/notices';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { CHECK_MS, useAlerts } from '../../../renderer/src/composables/useAlerts';
import { informerTransport } from './fake-transport';
import { waitFor } from '../../helpers/wait';
import type { ContainerStatus } from '../../../main/api/types';
import { AlertTracker, RECOVERY_MS, nodeNotReady, podProblems } from '../../../renderer/src/lib/alerts';
import { base64ToBytes, bytesToBase64, shellEndText } from '../../../renderer/src/lib/shell-text';
import { machineOfNode, runningContainers } from '../../../renderer/src/lib/shell-targets';
import type { PodObj } from '../../../renderer/src/stores/pods';
import { machine, node, pod } from './fixtures';

function withStatus(name: string, cs: Partial<ContainerStatus>, uid = `uid-${name}`): PodObj {
  const p = pod(name, 'n1', 'Running', false);
  const status: ContainerStatus = { name: 'app', image: 'docker.io/flotilla/hello:1', imageID: '', ready: false, restartCount: 0, ...cs };
  return { ...p, metadata: { ...p.metadata, uid }, status: { ...p.status, containerStatuses: [status] } };
}
const crashing = (restarts: number) => withStatus('web', {
  restartCount: restarts, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } },
  lastState: { terminated: { exitCode: 1, reason: 'Error' } },
});
const running = (restarts: number) => withStatus('web', { restartCount: restarts, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } });
const pulling = (reason: string) => withStatus('pull', {
  image: 'docker.io/flotilla/nope:1', state: { waiting: { reason, message: `${reason}: docker.io/flotilla/nope:1 not found` } },
});

describe('alerts', () => {
  it('a crash loop: one alert for the episode, however many watch events and restarts', () => {
    const t = new AlertTracker();
    const first = t.pods([crashing(1)], 0);
    expect(first).toEqual([{
      kind: 'CrashLoopBackOff', target: { type: 'pod', namespace: 'default', name: 'web' }, title: 'Pod web is crash-looping',
      detail: 'Container app keeps exiting (last exit code 1, Error); restarted 1 time.',
    }]);
    // The same object again, a restart (running for a moment), the next back-off: no new alert.
    const again = crashing(1);
    expect(t.pods([again], 1000)).toEqual([]);
    expect(t.pods([again], 2000)).toEqual([]);
    expect(t.pods([running(2)], 3000)).toEqual([]);
    expect(t.pods([crashing(2)], 20_000)).toEqual([]);
    expect(t.pods([running(3)], 60_000)).toEqual([]);
    // Running well past the kubelet's back-off reset, then crashing again: a new episode.
    const back = t.pods([crashing(3)], 60_000 + RECOVERY_MS.CrashLoopBackOff);
    expect(back.map((a) => a.detail)).toEqual(['Container app keeps exiting (last exit code 1, Error); restarted 3 times.']);
  });

  it('an image that cannot be pulled: ErrImagePull and ImagePullBackOff are one episode; pulled, then failing again is another', () => {
    const t = new AlertTracker();
    const a = t.pods([pulling('ErrImagePull')], 0);
    expect(a).toEqual([{
      kind: 'ImagePull', target: { type: 'pod', namespace: 'default', name: 'pull' }, title: 'Pod pull cannot pull its image',
      detail: 'Container app: ErrImagePull: docker.io/flotilla/nope:1 not found',
    }]);
    expect(t.pods([pulling('ImagePullBackOff')], 10)).toEqual([]);
    expect(t.pods([pulling('ErrImagePull')], 20)).toEqual([]);
    expect(t.pods([withStatus('pull', { state: { running: {} } })], 30)).toEqual([]);
    expect(t.pods([pulling('ErrImagePull')], 40)).toHaveLength(1);
  });

  it('a pod deleted and made again under the same name is new; a deleted pod is forgotten', () => {
    const t = new AlertTracker();
    expect(t.pods([crashing(1)], 0)).toHaveLength(1);
    expect(t.pods([], 1)).toEqual([]);
    expect(t.pods([crashing(1)], 2)).toHaveLength(1);
    const other = withStatus('web', { restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }, 'uid-other');
    expect(t.pods([other], 3).map((x) => x.title)).toEqual(['Pod web is crash-looping']);
  });

  it('a node going NotReady after being Ready; not one still registering; Unknown (stopped reporting) always', () => {
    const t = new AlertTracker();
    expect(t.nodes([node('n1', 'False')], 0)).toEqual([]);
    expect(t.nodes([node('n1', 'True')], 1)).toEqual([]);
    const down = node('n1', 'Unknown');
    down.status!.conditions![0].message = 'Kubelet stopped posting node status.';
    expect(t.nodes([down], 2)).toEqual([{ kind: 'NodeNotReady', target: { type: 'node', name: 'n1' }, title: 'Node n1 is NotReady', detail: 'Kubelet stopped posting node status.' }]);
    expect(t.nodes([node('n1', 'False')], 3)).toEqual([]);
    expect(t.nodes([node('n1', 'True')], 4)).toEqual([]);
    expect(t.nodes([node('n1', 'False')], 5).map((x) => x.detail)).toEqual(['KubeletNotReady']);
    // Seen first while it had stopped reporting (the UI started after it went down).
    expect(new AlertTracker().nodes([node('n2', 'Unknown')], 0)).toHaveLength(1);
    expect(nodeNotReady(node('n3', 'True'))).toBeUndefined();
  });

  it('podProblems looks at init containers too and says when a container recovered', () => {
    const p = withStatus('x', { state: { running: {} } });
    p.status!.initContainerStatuses = [{ name: 'init', image: 'i', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }];
    const probs = podProblems(p);
    expect(probs.filter((c) => c.alert).map((c) => `${c.container}:${c.kind}`)).toEqual(['init:CrashLoopBackOff']);
    expect(probs.find((c) => c.container === 'app' && c.kind === 'CrashLoopBackOff')?.recovered).toBe(true);
  });
});

describe('terminal helpers', () => {
  it('base64 both ways is binary-safe', () => {
    const all = new Uint8Array(256 * 300).map((_, i) => i % 256);
    expect(Array.from(base64ToBytes(bytesToBase64(all)))).toEqual(Array.from(all));
    expect(bytesToBase64(new TextEncoder().encode('hé\r\n'))).toBe('aMOpDQo=');
  });

  it('a session\'s end in words', () => {
    expect(shellEndText({ exitCode: 0 })).toBe('The shell exited.');
    expect(shellEndText({ exitCode: 3 })).toBe('The shell exited with code 3.');
    expect(shellEndText({ error: { code: 503, reason: 'ServiceUnavailable', message: 'the SSH connection to the node was lost' } }))
      .toBe('the SSH connection to the node was lost');
  });

  it('running containers in spec order; a node\'s Machine by name or status.nodeName', () => {
    const p = pod('p', 'n1', 'Running');
    p.spec!.containers = [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }, { name: 'c', image: 'x' }];
    p.status!.containerStatuses = [
      { name: 'c', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
      { name: 'b', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      { name: 'a', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
    ];
    expect(runningContainers(p)).toEqual(['a', 'c']);
    const ms = [machine('m1', 'Running', { nodeName: 'node-7' }), machine('node-2', 'Running')];
    expect(machineOfNode(ms, 'node-7')?.metadata?.name).toBe('m1');
    expect(machineOfNode(ms, 'node-2')?.metadata?.name).toBe('node-2');
    expect(machineOfNode(ms, 'hollow-1')).toBeUndefined();
  });
});

describe('useAlerts', () => {
  it('turns a crash loop arriving over the watch into one notice whose link opens the pod', async () => {
    setActivePinia(createPinia());
    const t = informerTransport(() => ({ pods: [running(0)] })).handle('watch', (req) => ({ watchId: `w-${req.kind}` }));
    setTransport(t);
    const scope = effectScope();
    const stops = [usePodsStore().start(), useNodesStore().start()];
    scope.run(() => useAlerts());
    const notices = useNoticesStore();
    await waitFor(() => usePodsStore().synced && useNodesStore().synced, 'the informers to sync');
    t.emit('watch', { watchId: 'w-pods', events: [{ type: 'MODIFIED', object: crashing(1) }] });
    const n = await waitFor(() => notices.notices.find((x) => x.title === 'Pod web is crash-looping'), 'the notice');
    expect(n.kind).toBe('error');
    t.emit('watch', { watchId: 'w-pods', events: [{ type: 'MODIFIED', object: running(2) }, { type: 'MODIFIED', object: crashing(2) }] });
    // Another pod's trouble after those events: once its notice is there, a check has seen the restart too.
    t.emit('watch', { watchId: 'w-pods', events: [{ type: 'ADDED', object: pulling('ErrImagePull') }] });
    await waitFor(() => notices.notices.find((x) => x.title === 'Pod pull cannot pull its image'), 'the image pull notice', 5 * CHECK_MS + 5000);
    expect(notices.notices.filter((x) => x.title === 'Pod web is crash-looping').map((x) => x.count)).toEqual([1]);
    expect(n.action?.label).toBe('Open pod');
    n.action?.run();
    expect(useNavStore().detail).toEqual({ type: 'pod', namespace: 'default', name: 'web' });
    scope.stop();
    stops.forEach((s) => s());
  });
});
