// The History view's store on a scripted bridge: it follows the current revision while "now" (a write elsewhere does
// not turn it into the past), stops when a past revision is picked and loads it once the slider rests, goes back to
// following with "Back to now", and moves to the oldest revision when the window compacts past the one shown.
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { HistoryWindow } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import { useHistoryStore } from '../../../renderer/src/stores/history';
import { FakeTransport } from './fake-transport';
import { waitFor } from '../../helpers/wait';

let t: FakeTransport;
let win: HistoryWindow;

beforeEach(() => {
  setActivePinia(createPinia());
  win = { oldest: 1, current: 20, intervalMs: 300_000 };
  t = new FakeTransport()
    .handle('historyWindow', () => ({ ...win }))
    .handle('historyAt', (req) => ({ revision: req.revision, nodes: [], pods: [], deployments: [], events: [] }));
  setTransport(t);
});

const loaded = () => (t.callsOf('historyAt') as Array<{ revision: number }>).map((r) => r.revision);

describe('the history store', () => {
  it('follows now, stays on a past revision once picked, and follows again with Back to now', async () => {
    const h = useHistoryStore();
    const stop = h.start();
    try {
      await flushPromises();
      expect(h.snapshot?.revision).toBe(20);
      expect(h.following).toBe(true);
      win.current = 25;
      await h.refreshWindow();
      await flushPromises();
      expect([h.revision, h.snapshot?.revision, h.following]).toEqual([25, 25, true]);

      h.pick(7);
      h.pick(6);
      expect(h.following).toBe(false);
      await waitFor(() => h.snapshot?.revision === 6, 'the revision the slider rests on loaded', 2000);
      expect(loaded()).not.toContain(7);
      win.current = 30;
      await h.refreshWindow();
      await flushPromises();
      expect([h.revision, h.snapshot?.revision]).toEqual([6, 6]);

      await h.toNow();
      await flushPromises();
      expect([h.revision, h.snapshot?.revision, h.following]).toEqual([30, 30, true]);
    } finally {
      stop();
    }
  });

  it('moves to the oldest revision kept when compaction passes the one shown', async () => {
    const h = useHistoryStore();
    const stop = h.start();
    try {
      await flushPromises();
      h.pick(4, true);
      await flushPromises();
      win.oldest = 12;
      await h.refreshWindow();
      await flushPromises();
      expect([h.revision, h.snapshot?.revision, h.following]).toEqual([12, 12, false]);
    } finally {
      stop();
    }
  });
});
