// @vitest-environment happy-dom
// A pod that cannot start says why, everywhere the UI shows it: the chip (colour and tooltip), the
// Workloads list, the pod's drawer (opening on its status), with the STATUS kubectl shows.
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { KObject } from '../../../main/api/types';
import type { Kind } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import PodChips from '../../../renderer/src/components/PodChips.vue';
import NodeCard from '../../../renderer/src/components/NodeCard.vue';
import LogViewer from '../../../renderer/src/components/LogViewer.vue';
import PodDetail from '../../../renderer/src/views/PodDetail.vue';
import WorkloadsView from '../../../renderer/src/views/WorkloadsView.vue';
import { usePodsStore } from '../../../renderer/src/stores/pods';
import { useDeploymentsStore } from '../../../renderer/src/stores/deployments';
import { useStatefulSetsStore } from '../../../renderer/src/stores/statefulsets';
import { useJobsStore } from '../../../renderer/src/stores/jobs';
import { useCronJobsStore } from '../../../renderer/src/stores/cronjobs';
import { useDaemonSetsStore } from '../../../renderer/src/stores/daemonsets';
import { useServicesStore } from '../../../renderer/src/stores/services';
import { podDisplay } from '../../../renderer/src/lib/pods';
import type { PodObj } from '../../../renderer/src/stores/pods';
import { summarizePod } from '../../../main/apiserver/tables/pods';
import { informerTransport, type FakeTransport } from './fake-transport';
import { node, pod } from './fixtures';

const IMAGE = 'docker.io/flotilla/no-such-image:1';

/** A pod whose container is waiting, as the agent reports it (phase Pending, not ready). */
function waitingPod(name: string, reason: string, message: string, phase = 'Pending', restartCount = 0): PodObj {
  const p = pod(name, 'n1', phase, false);
  return {
    ...p,
    metadata: { ...p.metadata, labels: { app: 'broken' } },
    status: {
      ...p.status,
      containerStatuses: [{ name: 'app', image: IMAGE, imageID: '', ready: false, restartCount, state: { waiting: { reason, message } }, ...(restartCount ? { lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:00:00Z' } } } : {}) }],
    },
  };
}

function runningPod(name: string, restartCount = 0): PodObj {
  const p = pod(name, 'n1', 'Running', true);
  return { ...p, status: { ...p.status, containerStatuses: [{ name: 'app', image: IMAGE, imageID: '', ready: true, restartCount, started: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } };
}

const PULL = waitingPod('broken-a', 'ErrImagePull', `failed to pull and unpack image "${IMAGE}": not found`);
const BACKOFF = waitingPod('broken-b', 'ImagePullBackOff', `Back-off pulling image "${IMAGE}": not found`);
const CRASH = waitingPod('crashy', 'CrashLoopBackOff', 'back-off 20s restarting failed container=app', 'Running', 3);
const CREATING = waitingPod('creating', 'ContainerCreating', '');

let t: FakeTransport;
let lists: Partial<Record<Kind, KObject[]>>;

beforeEach(() => {
  setActivePinia(createPinia());
  lists = {};
  t = informerTransport(() => lists);
  t.handle('logs', () => ({ streamId: 's1' }));
  t.handle('stopLogs', () => null);
  setTransport(t);
});

describe('a pod that cannot start', () => {
  it('has the STATUS kubectl shows (one shared computation with the API server table) and a state for its colour', () => {
    for (const p of [PULL, BACKOFF, CRASH, CREATING, runningPod('ok'), pod('unscheduled', undefined, 'Pending')]) {
      expect(podDisplay(p).status).toBe(summarizePod(p, new Date()).reason);
    }
    expect(podDisplay(PULL)).toMatchObject({ state: 'problem', status: 'ErrImagePull' });
    expect(podDisplay(BACKOFF)).toMatchObject({ state: 'problem', status: 'ImagePullBackOff', message: `ImagePullBackOff: Back-off pulling image "${IMAGE}": not found` });
    expect(podDisplay(CRASH)).toMatchObject({ state: 'problem', status: 'CrashLoopBackOff', restarts: 3 });
    expect(podDisplay(waitingPod('cfg', 'CreateContainerConfigError', 'configmap "x" not found'))).toMatchObject({ state: 'problem', status: 'CreateContainerConfigError' });
    expect(podDisplay(CREATING)).toMatchObject({ state: 'starting', status: 'ContainerCreating' });
    expect(podDisplay(pod('unscheduled', undefined, 'Pending'))).toMatchObject({ state: 'pending', status: 'Pending' });
    expect(podDisplay(runningPod('ok'))).toMatchObject({ state: 'ready', status: 'Running' });
  });

  it('shows its reason on the chip: a problem colour and the reason in the tooltip, not "Pending"', () => {
    const w = mount(PodChips, { props: { pods: [BACKOFF, CREATING, pod('unscheduled', undefined, 'Pending')] } });
    const chips = w.findAll('[data-pod]');
    expect(chips.map((c) => c.attributes('data-state'))).toEqual(['problem', 'starting', 'pending']);
    expect(chips[0].classes()).toContain('chip-problem');
    expect(chips[0].attributes('data-tip')).toBe(`broken-b — ImagePullBackOff: Back-off pulling image "${IMAGE}": not found`);
    expect(chips[1].attributes('data-tip')).toBe('creating — ContainerCreating');
    expect(chips[2].attributes('data-tip')).toBe('unscheduled — Pending');
  });

  it('shows a pull\'s progress while the container is being created, on the chip\'s tooltip', () => {
    const pulling = waitingPod('pulling', 'ContainerCreating', `Pulling image "${IMAGE}": 12.3 MB so far`);
    expect(podDisplay(pulling)).toMatchObject({ state: 'starting', status: 'ContainerCreating', message: `Pulling image "${IMAGE}": 12.3 MB so far` });
    expect(podDisplay(CREATING).message).toBeUndefined();
    const w = mount(PodChips, { props: { pods: [pulling] } });
    expect(w.find('.chip').attributes('data-tip')).toBe(`pulling — ContainerCreating: Pulling image "${IMAGE}": 12.3 MB so far`);
  });

  it('says which pull failure it was: credentials, a missing image or an unreachable registry', () => {
    const hint = (message: string): string | undefined => podDisplay(waitingPod('x', 'ImagePullBackOff', message)).hint;
    expect(hint('... 401 Unauthorized (unauthorized: the registry refused the pull credentials (check imagePullSecrets))')).toMatch(/imagePullSecret/);
    expect(hint('... not found (not found: the registry has no such image or tag)')).toBe(`The registry does not have the image ${IMAGE}. Check its name and tag.`);
    expect(hint('... connection refused (unreachable: the node could not reach the registry)')).toMatch(/^The node cannot reach the registry of the image/);
  });

  it('says on the node card, in words, what is wrong with its pods', () => {
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [PULL, BACKOFF, waitingPod('broken-c', 'ImagePullBackOff', 'x'), CRASH, runningPod('ok'), CREATING] } });
    const lines = w.findAll('[data-test=pod-trouble]');
    expect(lines.map((l) => l.text())).toEqual(['2 pods: ImagePullBackOff', '1 pod: ErrImagePull', '1 pod: CrashLoopBackOff']);
    expect(lines[0].attributes('title')).toContain('Back-off pulling image');
  });

  it('says in Workloads why a deployment has no ready pods', async () => {
    lists = {
      deployments: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken', namespace: 'default' }, spec: { replicas: 2, selector: { matchLabels: { app: 'broken' } }, template: { spec: { containers: [{ name: 'app', image: IMAGE }] } } }, status: { readyReplicas: 0 } }],
      pods: [PULL, BACKOFF, runningPod('other')],
    };
    const stores = [
      useDeploymentsStore(), useStatefulSetsStore(), useDaemonSetsStore(), useJobsStore(), useCronJobsStore(), usePodsStore(), useServicesStore(),
    ];
    for (const s of stores) s.start();
    const w = mount(WorkloadsView);
    await flushPromises();
    const row = w.find('tr[data-deployment=broken]');
    expect(row.find('[data-test=ready]').text()).toBe('0/2');
    expect(row.find('[data-test=ready]').classes()).toContain('bad');
    const issues = row.findAll('[data-test=issue]');
    expect(issues.map((i) => i.text())).toEqual(['ErrImagePull', 'ImagePullBackOff']);
    expect(issues[1].attributes('title')).toContain('Back-off pulling image');
    w.unmount();
  });

  it('opens its drawer on Status with the reason, not on a red log error', async () => {
    lists = { pods: [BACKOFF] };
    usePodsStore().start();
    await flushPromises();
    const w = mount(PodDetail, { props: { namespace: 'default', name: 'broken-b' } });
    await flushPromises();
    expect(w.find('[role=tab][aria-selected=true]').text()).toBe('Status');
    expect(w.find('[data-test=pod-status]').text()).toBe('ImagePullBackOff');
    expect(w.find('[data-test=pod-problem]').text()).toContain('Back-off pulling image');
    expect(w.find('[data-test=pod-hint]').text()).toBe(`The node cannot get the image ${IMAGE}. Check its name and tag, and that its registry can be reached from the node — or drop the image's tarball on this window to import it.`);
    expect(w.find('[data-test=log-error]').exists()).toBe(false);
    expect(t.callsOf('logs')).toHaveLength(0);
    w.unmount();
  });

  it('opens a running pod on its logs', async () => {
    lists = { pods: [runningPod('ok')] };
    usePodsStore().start();
    await flushPromises();
    const w = mount(PodDetail, { props: { namespace: 'default', name: 'ok' } });
    await flushPromises();
    expect(w.find('[role=tab][aria-selected=true]').text()).toBe('Logs');
    expect(t.callsOf('logs')).toHaveLength(1);
    w.unmount();
  });
});

describe('previous logs', () => {
  it('are offered only for a container that restarted', async () => {
    const w = mount(LogViewer, { props: { namespace: 'default', pod: 'p', containers: ['app'], restarts: { app: 0 } } });
    await flushPromises();
    const box = w.find('input[name=previous]');
    expect((box.element as HTMLInputElement).disabled).toBe(true);
    await w.setProps({ restarts: { app: 2 } });
    expect((box.element as HTMLInputElement).disabled).toBe(false);
    await box.setValue(true);
    await flushPromises();
    expect(t.callsOf('logs').at(-1)).toMatchObject({ previous: true });
    w.unmount();
  });
});
