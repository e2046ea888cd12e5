// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { KObject } from '../../../main/api/types';
import { setTransport } from '../../../renderer/src/bridge/client';
import { createInformerStore } from '../../../renderer/src/stores/informer';
import { CodedError, FakeTransport, settle } from './fake-transport';

function pod(name: string, rv: string, phase = 'Pending'): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: rv }, status: { phase } };
}

let t: FakeTransport;
let listed: KObject[];
let listRv: string;
let watchSeq: number;

beforeEach(() => {
  setActivePinia(createPinia());
  t = new FakeTransport();
  listed = [pod('a', '5'), pod('b', '6')];
  listRv = '6';
  watchSeq = 0;
  t.handle('list', () => ({ items: listed, resourceVersion: listRv }));
  t.handle('watch', () => ({ watchId: `w${++watchSeq}` }));
  t.handle('unwatch', () => null);
  setTransport(t);
});
afterEach(() => {
  vi.useRealTimers();
});

const usePods = createInformerStore<KObject>('pods');

describe('informer store', () => {
  it('lists, then watches from the list resourceVersion and applies events', async () => {
    const s = usePods();
    s.start();
    await settle();
    expect(s.synced).toBe(true);
    expect([...s.items.keys()]).toEqual(['default/a', 'default/b']);
    expect(t.callsOf('watch')).toEqual([{ kind: 'pods', resourceVersion: '6' }]);

    t.emit('watch', { watchId: 'w1', events: [
      { type: 'MODIFIED', object: pod('a', '7', 'Running') },
      { type: 'ADDED', object: pod('c', '8') },
      { type: 'DELETED', object: pod('b', '9') },
    ] });
    expect([...s.items.keys()].sort()).toEqual(['default/a', 'default/c']);
    expect((s.items.get('default/a')?.status as { phase: string }).phase).toBe('Running');
  });

  it('ignores events of other watches', async () => {
    const s = usePods();
    s.start();
    await settle();
    t.emit('watch', { watchId: 'other', events: [{ type: 'ADDED', object: pod('x', '10') }] });
    expect(s.items.has('default/x')).toBe(false);
  });

  it('resumes from the last resourceVersion when the watch closes, and lists again on 410 Gone', async () => {
    vi.useFakeTimers();
    const s = usePods();
    s.start();
    await settle();
    t.emit('watch', { watchId: 'w1', events: [{ type: 'ADDED', object: pod('c', '12') }], closed: {} });
    await settle();
    expect(t.callsOf('watch').at(-1)).toEqual({ kind: 'pods', resourceVersion: '12' });
    expect(t.callsOf('list')).toHaveLength(1);

    listed = [pod('z', '40')];
    listRv = '40';
    t.emit('watch', { watchId: 'w2', events: [], closed: { error: { code: 410, reason: 'Expired', message: 'too old resource version' } } });
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(t.callsOf('list')).toHaveLength(2);
    expect([...s.items.keys()]).toEqual(['default/z']);
    expect(t.callsOf('watch').at(-1)).toEqual({ kind: 'pods', resourceVersion: '40' });
  });

  it('re-watches after a reconnect without listing again', async () => {
    const s = usePods();
    s.start();
    await settle();
    t.emit('watch', { watchId: 'w1', events: [{ type: 'ADDED', object: pod('c', '20') }] });
    t.setStatus('reconnecting');
    t.setStatus('open');
    await settle();
    expect(t.callsOf('list')).toHaveLength(1);
    expect(t.callsOf('watch').at(-1)).toEqual({ kind: 'pods', resourceVersion: '20' });
    // Items stay on screen through the reconnect.
    expect(s.items.size).toBe(3);
  });

  it('reports a failed list and retries', async () => {
    let fail = true;
    t.handle('list', () => {
      if (fail) throw new CodedError(503, 'the API is starting');
      return { items: listed, resourceVersion: listRv };
    });
    vi.useFakeTimers();
    const s = usePods();
    s.start();
    await settle();
    expect(s.error).toBe('the API is starting');
    expect(s.synced).toBe(false);
    fail = false;
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(s.synced).toBe(true);
    expect(s.error).toBeUndefined();
  });

  it('stops: unwatches and applies nothing more', async () => {
    const s = usePods();
    const stop = s.start();
    await settle();
    stop();
    expect(t.callsOf('unwatch')).toEqual([{ watchId: 'w1' }]);
    t.emit('watch', { watchId: 'w1', events: [{ type: 'ADDED', object: pod('q', '30') }] });
    expect(s.items.has('default/q')).toBe(false);
  });
});
