// @vitest-environment happy-dom
// Usage figures stay live while a view stays open: every new sample reaches the numbers, not only
// the sparkline (a history mutated in place left computed values on their first sample).
import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h, ref } from 'vue';
import NodeCard from '../../../renderer/src/components/NodeCard.vue';
import { useMetricsStore, HISTORY } from '../../../renderer/src/stores/metrics';
import { useNodeMetrics } from '../../../renderer/src/composables/useNodeMetrics';
import { setTransport } from '../../../renderer/src/bridge/client';
import { FakeTransport } from './fake-transport';
import { node } from './fixtures';

const GiB = 2 ** 30;

beforeEach(() => {
  setActivePinia(createPinia());
  setTransport(new FakeTransport().handle('subscribeMetrics', () => ({ subscriptionId: 'm' })).handle('unsubscribeMetrics', () => null));
});

describe('live usage figures', () => {
  it('a node card shows each new sample, not the first one forever', async () => {
    const metrics = useMetricsStore();
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [] } });
    for (let i = 1; i <= 5; i++) {
      metrics.record({ available: true, samples: [{ node: 'n1', at: i, cpuMillis: 100 * i, memoryBytes: i * GiB }] });
      await w.vm.$nextTick();
      expect(w.find('[role=meter][aria-label=CPU] .value').text()).toBe(`${100 * i}m / 4.0 CPU`);
      expect(w.find('[role=meter][aria-label=Memory] .value').text()).toBe(`${i.toFixed(1)} GiB / 8.0 GiB`);
      // The chart draws its line once there are two samples; then one point per sample.
      const line = w.findAll('[role=meter][aria-label=CPU] svg polyline')[0]?.attributes('points');
      if (i === 1) expect(line).toBeUndefined();
      else expect(line?.split(' ')).toHaveLength(i);
    }
    w.unmount();
  });

  it('stays live once the history is full and the oldest samples drop off', async () => {
    const metrics = useMetricsStore();
    const w = mount(NodeCard, { props: { node: node('n1'), pods: [] } });
    for (let i = 1; i <= HISTORY + 3; i++) {
      metrics.record({ available: true, samples: [{ node: 'n1', at: i, cpuMillis: i, memoryBytes: GiB }] });
      await w.vm.$nextTick();
      expect(w.find('[role=meter][aria-label=CPU] .value').text()).toBe(`${i}m / 4.0 CPU`);
    }
    expect(metrics.history.get('n1')).toHaveLength(HISTORY);
    w.unmount();
  });

  it('useNodeMetrics (the node detail) follows every sample too', async () => {
    const metrics = useMetricsStore();
    const Probe = defineComponent({
      setup() {
        const { history, latest } = useNodeMetrics(ref('n1'));
        return () => h('p', `${history.value.length}:${latest.value?.cpuMillis ?? '-'}`);
      },
    });
    const w = mount(Probe);
    expect(w.text()).toBe('0:-');
    for (let i = 1; i <= 3; i++) {
      metrics.record({ available: true, samples: [{ node: 'n1', at: i, cpuMillis: 10 * i, memoryBytes: GiB }] });
      await w.vm.$nextTick();
      expect(w.text()).toBe(`${i}:${10 * i}`);
    }
    w.unmount();
  });
});
