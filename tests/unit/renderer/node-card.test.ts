// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import NodeCard from '../../../renderer/src/components/NodeCard.vue';
import { useMetricsStore } from '../../../renderer/src/stores/metrics';
import { DRAG_TYPE } from '../../../renderer/src/lib/catalog';
import { node, pod } from './fixtures';

beforeEach(() => setActivePinia(createPinia()));

describe('NodeCard', () => {
  it('shows name, health, capacity and its pods as chips coloured by phase and readiness', () => {
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [pod('a', 'n1', 'Running'), pod('b', 'n1', 'Running', false), pod('c', 'n1', 'Pending'), pod('d', 'n1', 'Failed')] } });
    expect(w.find('button.name').text()).toBe('n1');
    expect(w.find('[data-test=health]').text()).toBe('Ready');
    expect(w.find('[data-test=pod-count]').text()).toBe('4 pods');
    const states = w.findAll('[data-pod]').map((c) => c.attributes('data-state'));
    expect(states).toEqual(['ready', 'starting', 'pending', 'failed']);
    expect(w.text()).toContain('4.0 CPU');
    expect(w.text()).toContain('No usage reported yet');
  });

  it('says why a node is not ready', () => {
    const w = mount(NodeCard, { props: { node: node('n2', 'False'), pods: [] } });
    expect(w.find('[data-test=health]').text()).toBe('Not ready');
    expect(w.find('.problems').text()).toContain('KubeletNotReady');
    expect(w.text()).toContain('No pods');
  });

  it('shows usage and history once metrics arrive', async () => {
    const metrics = useMetricsStore();
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [] } });
    metrics.record({ available: true, samples: [{ node: 'n1', at: 1, cpuMillis: 500, memoryBytes: 2 ** 30 }] });
    metrics.record({ available: true, samples: [{ node: 'n1', at: 2, cpuMillis: 1000, memoryBytes: 2 * 2 ** 30 }] });
    await w.vm.$nextTick();
    expect(w.text()).toContain('1.0 CPU / 4.0 CPU');
    expect(w.text()).toContain('2.0 GiB / 8.0 GiB');
    expect(w.findAll('svg polyline')).toHaveLength(2);
  });

  it('emits open, openPod, and dropApp (pinned) for an app dropped on it', async () => {
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [pod('a', 'n1', 'Running')] } });
    await w.find('button.name').trigger('click');
    await w.find('[data-pod=a]').trigger('click');
    const data = new Map<string, string>([[DRAG_TYPE, 'hello']]);
    const dataTransfer = { types: [DRAG_TYPE], getData: (t: string) => data.get(t) ?? '', dropEffect: 'none' };
    await w.find('article').trigger('dragover', { dataTransfer });
    expect(w.find('.drop-hint').text()).toBe('Deploy on n1');
    await w.find('article').trigger('drop', { dataTransfer });
    expect(w.emitted('open')).toEqual([['n1']]);
    expect(w.emitted('openPod')).toEqual([['default', 'a']]);
    expect(w.emitted('dropApp')).toEqual([['hello', 'n1']]);
  });

  it('ignores drags that are not apps (files)', async () => {
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [] } });
    const dataTransfer = { types: ['Files'], getData: () => '' };
    await w.find('article').trigger('drop', { dataTransfer });
    expect(w.emitted('dropApp')).toBeUndefined();
  });
});
