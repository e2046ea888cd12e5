// @vitest-environment happy-dom
// A burst of watch events reaches the views once a frame, not once an event (10,000 pods at
// 100 updates/s), while the store's map itself is current at once.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { watchEffect } from 'vue';
import type { KObject } from '../../../main/api/types';
import { setTransport } from '../../../renderer/src/bridge/client';
import { createInformerStore } from '../../../renderer/src/stores/informer';
import { FakeTransport, settle } from './fake-transport';
import { waitFor } from '../../helpers/wait';

function pod(name: string, rv: string): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: rv } };
}

let t: FakeTransport;
beforeEach(() => {
  setActivePinia(createPinia());
  t = new FakeTransport();
  t.handle('list', () => ({ items: [], resourceVersion: '1' }));
  t.handle('watch', () => ({ watchId: 'w1' }));
  t.handle('unwatch', () => null);
  setTransport(t);
});

const usePods = createInformerStore<KObject>('pods');

describe('informer notices', () => {
  it('tells watchers of a burst at most twice (at once, then at the end of the frame), with every event applied', async () => {
    const s = usePods();
    s.start();
    await settle();
    let notices = -1; // the effect's first run is not a notice
    watchEffect(() => {
      void s.items;
      notices++;
    }, { flush: 'sync' });
    expect(notices).toBe(0);
    for (let i = 0; i < 200; i++) t.emit('watch', { watchId: 'w1', events: [{ type: 'ADDED', object: pod(`p${i}`, String(10 + i)) }] });
    expect(s.items.size).toBe(200);
    expect(notices).toBeLessThanOrEqual(1);
    await waitFor(() => notices === 2, 'the end-of-frame notice', 2000, 5);
    expect(s.items.size).toBe(200);
  });
});
