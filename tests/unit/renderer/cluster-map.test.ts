// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { KObject } from '../../../main/api/types';
import type { Kind } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import ClusterMapView from '../../../renderer/src/views/ClusterMapView.vue';
import LogViewer from '../../../renderer/src/components/LogViewer.vue';
import { useNodesStore } from '../../../renderer/src/stores/nodes';
import { usePodsStore } from '../../../renderer/src/stores/pods';
import { useMachinesStore } from '../../../renderer/src/stores/machines';
import { useDeploymentsStore } from '../../../renderer/src/stores/deployments';
import { useNoticesStore } from '../../../renderer/src/stores/notices';
import { DRAG_TYPE } from '../../../renderer/src/lib/catalog';
import { informerTransport, type FakeTransport } from './fake-transport';
import { machine, node, pod } from './fixtures';

let t: FakeTransport;
let lists: Partial<Record<Kind, KObject[]>>;

beforeEach(() => {
  setActivePinia(createPinia());
  lists = {};
  t = informerTransport(() => lists);
  t.handle('deployApp', (req) => ({ deployment: req.name, service: req.name }));
  setTransport(t);
});

async function mountMap(): Promise<ReturnType<typeof mount>> {
  for (const s of [useNodesStore(), usePodsStore(), useMachinesStore(), useDeploymentsStore()]) s.start();
  const w = mount(ClusterMapView, { attachTo: document.body });
  await flushPromises();
  return w;
}

function drag(appId: string) {
  const data = new Map([[DRAG_TYPE, appId]]);
  return { types: [DRAG_TYPE], getData: (k: string) => data.get(k) ?? '', dropEffect: 'none' };
}

describe('ClusterMapView', () => {
  it('tells a new user what to do first when there are no nodes', async () => {
    const w = await mountMap();
    expect(w.find('[data-test=empty-cluster]').exists()).toBe(true);
    w.unmount();
  });

  it('shows node cards in natural order with their pods, machines on their way, and pods waiting for a node', async () => {
    lists = {
      nodes: [node('node-10'), node('node-2'), node('node-new', 'False')],
      pods: [pod('a', 'node-2', 'Running'), pod('b', 'node-10', 'Running'), pod('w', undefined, 'Pending')],
      machines: [machine('node-new', 'Bootstrapping', { progress: { step: 4, total: 5, message: 'waiting for the node' } })],
    };
    const w = await mountMap();
    expect(w.findAll('article[data-node]').map((a) => a.attributes('data-node'))).toEqual(['node-2', 'node-10']);
    expect(w.find('article[data-node="node-2"] [data-pod=a]').exists()).toBe(true);
    expect(w.find('article[data-machine="node-new"]').text()).toContain('Step 4 of 5');
    expect(w.find('[data-test=unscheduled]').text()).toContain('Waiting for a node (1)');
    w.unmount();
  });

  it('deploys a demo app dropped on the background (scheduler) or on a node (pinned), with a free name', async () => {
    lists = { nodes: [node('n1')], deployments: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello', namespace: 'default' } }] };
    const w = await mountMap();
    await w.find('[data-test=cluster-map]').trigger('drop', { dataTransfer: drag('hello') });
    await w.find('article[data-node="n1"]').trigger('drop', { dataTransfer: drag('counter') });
    await flushPromises();
    expect(t.callsOf('deployApp')).toEqual([
      { name: 'hello-2', image: 'docker.io/flotilla/hello:1', replicas: 2, port: 8080, expose: 'ClusterIP', node: undefined },
      { name: 'counter', image: 'docker.io/flotilla/counter:1', replicas: 1, port: 8080, expose: 'ClusterIP', node: 'n1' },
    ]);
    expect(useNoticesStore().notices.map((n) => n.title)).toContain('Deployed counter (1 replica on n1), service counter (ClusterIP)');
    w.unmount();
  });

  it('opens the deploy dialog for "any image", pinned to the node it was dropped on', async () => {
    lists = { nodes: [node('n1')] };
    const w = await mountMap();
    await w.find('article[data-node="n1"]').trigger('drop', { dataTransfer: drag('custom') });
    const dialog = w.find('[role=dialog]');
    expect(dialog.exists()).toBe(true);
    expect((dialog.find('select[name=node]').element as HTMLSelectElement).value).toBe('n1');
    expect(t.callsOf('deployApp')).toHaveLength(0);
    w.unmount();
  });

  it('shows an API error readably when a deploy fails', async () => {
    t.handle('deployApp', () => {
      throw Object.assign(new Error('deployments.apps "hello" already exists'), { code: 409 });
    });
    lists = { nodes: [node('n1')] };
    const w = await mountMap();
    await w.find('[data-test=cluster-map]').trigger('drop', { dataTransfer: drag('hello') });
    await flushPromises();
    const n = useNoticesStore().notices[0];
    expect(n).toMatchObject({ kind: 'error', title: 'Could not deploy hello', detail: 'deployments.apps "hello" already exists' });
    w.unmount();
  });
});

describe('LogViewer', () => {
  it('shows the server\'s reason when the log cannot be read, and lines when it can', async () => {
    t.handle('logs', () => ({ streamId: 's1' }));
    t.handle('stopLogs', () => null);
    const w = mount(LogViewer, { props: { namespace: 'default', pod: 'p', containers: ['app'] } });
    await flushPromises();
    t.emit('log', { streamId: 's1', lines: ['hello: p listening on :8080', 'GET /'] });
    await flushPromises();
    expect(w.findAll('.line').map((l) => l.text())).toEqual(['hello: p listening on :8080', 'GET /']);
    await w.find('input[type=search]').setValue('listening');
    expect(w.findAll('.line')).toHaveLength(1);
    t.emit('log', { streamId: 's1', lines: [], end: { error: { code: 503, reason: 'ServiceUnavailable', message: 'no connection to node "n1"' } } });
    await flushPromises();
    expect(w.find('[data-test=log-error]').text()).toContain('no connection to node "n1"');
    w.unmount();
  });
});
