// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { computed, effectScope, ref, watch } from 'vue';
import type { LogRequest } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import { useLogStream } from '../../../renderer/src/composables/useLogStream';
import { usePodsByNode, UNSCHEDULED } from '../../../renderer/src/composables/usePodsByNode';
import { usePodsStore } from '../../../renderer/src/stores/pods';
import { useMetricsStore, HISTORY } from '../../../renderer/src/stores/metrics';
import { FakeTransport, settle } from './fake-transport';
import { pod } from './fixtures';

let t: FakeTransport;
beforeEach(() => {
  setActivePinia(createPinia());
  t = new FakeTransport();
  let n = 0;
  t.handle('logs', () => ({ streamId: `s${++n}` }));
  t.handle('stopLogs', () => null);
  t.handle('subscribeMetrics', () => ({ subscriptionId: 'm1' }));
  t.handle('unsubscribeMetrics', () => null);
  setTransport(t);
});

describe('useLogStream', () => {
  it('streams lines, holds them while paused, and restarts on a container switch', async () => {
    const scope = effectScope();
    const params = ref<LogRequest>({ namespace: 'default', pod: 'p', container: 'a' });
    const s = scope.run(() => useLogStream(params))!;
    await settle();
    expect(t.callsOf('logs')).toEqual([{ follow: true, tailLines: 500, namespace: 'default', pod: 'p', container: 'a' }]);
    expect(s.status.value).toBe('streaming');
    t.emit('log', { streamId: 's1', lines: ['one', 'two'] });
    expect(s.lines.value).toEqual(['one', 'two']);

    s.paused.value = true;
    t.emit('log', { streamId: 's1', lines: ['three'] });
    expect(s.lines.value).toEqual(['one', 'two']);
    expect(s.held.value).toBe(1);
    s.paused.value = false;
    await settle();
    expect(s.lines.value).toEqual(['one', 'two', 'three']);

    params.value = { namespace: 'default', pod: 'p', container: 'b', previous: true };
    await settle();
    expect(t.callsOf('stopLogs')).toEqual([{ streamId: 's1' }]);
    expect(t.callsOf('logs').at(-1)).toMatchObject({ container: 'b', previous: true });
    expect(s.lines.value).toEqual([]);
    t.emit('log', { streamId: 's1', lines: ['stale'] });
    expect(s.lines.value).toEqual([]);

    scope.stop();
    expect(t.callsOf('stopLogs')).toEqual([{ streamId: 's1' }, { streamId: 's2' }]);
  });

  it('gives every batch of lines as a new array, so what is derived from it (search, follow) keeps up', async () => {
    const scope = effectScope();
    const seen: number[] = [];
    const s = scope.run(() => {
      const st = useLogStream(ref({ namespace: 'default', pod: 'p' }));
      const shown = computed(() => st.lines.value);
      watch(shown, (l) => seen.push(l.length), { flush: 'sync' });
      return st;
    })!;
    await settle();
    t.emit('log', { streamId: 's1', lines: ['one'] });
    t.emit('log', { streamId: 's1', lines: ['two', 'three'] });
    s.paused.value = true;
    t.emit('log', { streamId: 's1', lines: ['four'] });
    s.paused.value = false;
    expect(seen).toEqual([1, 3, 4]);
    scope.stop();
  });

  it('shows the server\'s message when the stream fails', async () => {
    const scope = effectScope();
    const s = scope.run(() => useLogStream(ref({ namespace: 'default', pod: 'p' })))!;
    await settle();
    t.emit('log', { streamId: 's1', lines: [], end: { error: { code: 503, reason: 'ServiceUnavailable', message: 'no connection to node "hollow-node-0"' } } });
    expect(s.status.value).toBe('failed');
    expect(s.error.value).toBe('no connection to node "hollow-node-0"');
    scope.stop();
  });
});

describe('usePodsByNode', () => {
  it('groups by node and keeps a node\'s array when its pods did not change', async () => {
    const pods = usePodsStore();
    const scope = effectScope();
    const byNode = scope.run(() => usePodsByNode())!;
    const a = pod('a', 'n1', 'Running');
    const b = pod('b', 'n2', 'Running');
    pods.items = new Map([['default/a', a], ['default/b', b], ['default/c', pod('c', undefined, 'Pending')]]);
    const first = byNode.value;
    expect(first.get('n1')).toEqual([a]);
    expect(first.get(UNSCHEDULED)?.map((p) => p.metadata?.name)).toEqual(['c']);
    pods.items = new Map([...pods.items, ['default/b', pod('b', 'n2', 'Failed')]]);
    const second = byNode.value;
    expect(second.get('n1')).toBe(first.get('n1'));
    expect(second.get('n2')).not.toBe(first.get('n2'));
    scope.stop();
  });
});

describe('metrics store', () => {
  it('subscribes while held, keeps a bounded history, and unsubscribes when released', async () => {
    const m = useMetricsStore();
    const release1 = m.acquire();
    const release2 = m.acquire();
    await settle();
    expect(t.callsOf('subscribeMetrics')).toHaveLength(1);
    for (let i = 0; i < HISTORY + 5; i++) t.emit('metrics', { available: true, samples: [{ node: 'n1', at: i, cpuMillis: i, memoryBytes: 1 }] });
    expect(m.history.get('n1')).toHaveLength(HISTORY);
    expect(m.latest('n1')?.cpuMillis).toBe(HISTORY + 4);
    release1();
    await settle();
    expect(t.callsOf('unsubscribeMetrics')).toHaveLength(0);
    release2();
    await settle();
    expect(t.callsOf('unsubscribeMetrics')).toEqual([{ subscriptionId: 'm1' }]);
  });

  it('says when no metrics are available', () => {
    const m = useMetricsStore();
    m.record({ available: false, samples: [], message: 'no node has reported metrics yet' });
    expect(m.available).toBe(false);
    expect(m.message).toBe('no node has reported metrics yet');
  });
});
