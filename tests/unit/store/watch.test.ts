import { afterEach, describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../../main/store/types';
import { TempStores, recorder, waitFor } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

describe('store watch', () => {
  it('counts events delivered once per watcher reached, and when it last compacted', async () => {
    const s = temp.open();
    const a = recorder();
    const all = recorder();
    s.watch('/a/', 0, a.cb);
    s.watch('', 0, all.cb);
    await s.create('/a/1', 'x');
    await s.create('/b/1', 'y');
    await waitFor(() => all.events().length === 2, 'two events');
    expect(s.watchEventsDelivered).toBe(3); // /a/1 to both watchers, /b/1 to one
    expect(s.lastCompactionAt).toBeUndefined();
    const before = Date.now();
    s.compact(1);
    expect(s.lastCompactionAt).toBeGreaterThanOrEqual(before);
    const at = s.lastCompactionAt;
    s.compact(1); // nothing left to compact: the time stays
    expect(s.lastCompactionAt).toBe(at);
  });

  it('delivers live events batched per commit, with value, prevValue and created', async () => {
    const s = temp.open();
    const rec = recorder();
    s.watch('/a/', 0, rec.cb);
    await Promise.all([s.create('/a/1', 'x'), s.create('/b/1', 'other'), s.create('/a/2', 'y')]);
    await s.update('/a/1', 'x2');
    await s.delete('/a/2');
    await waitFor(() => rec.batches.length === 3, 'three batches');
    expect(rec.batches).toEqual([
      [
        { type: 'PUT', key: '/a/1', revision: 1, createRevision: 1, value: 'x', created: true },
        { type: 'PUT', key: '/a/2', revision: 3, createRevision: 3, value: 'y', created: true },
      ],
      [{ type: 'PUT', key: '/a/1', revision: 4, createRevision: 1, value: 'x2', prevValue: 'x', prevRevision: 1, created: false }],
      [{ type: 'DELETE', key: '/a/2', revision: 5, createRevision: 3, value: 'y', prevValue: 'y', created: false }],
    ]);
  });

  it('replays from a revision with exactly the events live watchers saw', async () => {
    const s = temp.open();
    const live = recorder();
    s.watch('', 0, live.cb);
    await s.create('/a', '1');
    await s.create('/b', '2');
    await s.update('/a', '3');
    await s.delete('/b');
    await s.create('/b', '4');
    await s.update('/b', '5');
    await waitFor(() => live.events().length === 6, 'six live events');
    const replayAll = recorder();
    s.watch('', 0, replayAll.cb);
    const replayFrom3 = recorder();
    s.watch('', 3, replayFrom3.cb);
    await waitFor(() => replayAll.events().length === 6 && replayFrom3.events().length === 3, 'replays');
    expect(replayAll.events()).toEqual(live.events());
    expect(replayFrom3.events()).toEqual(live.events().slice(3));
    expect(replayFrom3.events().map((e) => [e.type, e.created, e.prevValue])).toEqual([
      ['DELETE', false, '2'],
      ['PUT', true, undefined],
      ['PUT', false, '4'],
    ]);
  });

  it('filters by prefix, including the empty prefix and a key equal to the prefix', async () => {
    const s = temp.open();
    const pods = recorder();
    const ns1 = recorder();
    const exact = recorder();
    const all = recorder();
    s.watch('/pods/', 0, pods.cb);
    s.watch('/pods/ns1/', 0, ns1.cb);
    s.watch('/pods/ns1/a', 0, exact.cb);
    s.watch('', 0, all.cb);
    for (const k of ['/pods/ns1/a', '/pods/ns10/b', '/pods/ns1/a2', '/nodes/n', '/pods', '/podsx']) await s.create(k, 'v');
    await waitFor(() => all.events().length === 6, 'all six events');
    const keys = (r: { events: () => StoreEvent[] }): string[] => r.events().map((e) => e.key);
    expect(keys(pods)).toEqual(['/pods/ns1/a', '/pods/ns10/b', '/pods/ns1/a2']);
    expect(keys(ns1)).toEqual(['/pods/ns1/a', '/pods/ns1/a2']);
    expect(keys(exact)).toEqual(['/pods/ns1/a', '/pods/ns1/a2']);
    // The same filtering on replay.
    const replayNs1 = recorder();
    s.watch('/pods/ns1/', 0, replayNs1.cb);
    await waitFor(() => replayNs1.events().length === 2, 'replay of ns1');
    expect(keys(replayNs1)).toEqual(['/pods/ns1/a', '/pods/ns1/a2']);
  });

  it('the disposer stops delivery, also for a watcher still waiting for its replay', async () => {
    const s = temp.open();
    await s.create('/a', '1');
    const rec = recorder();
    const stop = s.watch('', 0, rec.cb);
    stop();
    const rec2 = recorder();
    const stop2 = s.watch('', 0, rec2.cb);
    await waitFor(() => rec2.events().length === 1, 'replay');
    stop2();
    await s.create('/b', '2');
    const control = recorder();
    s.watch('', 1, control.cb);
    await s.create('/c', '3');
    await waitFor(() => control.events().length === 2, 'control watcher saw both writes');
    expect(rec.batches).toEqual([]);
    expect(rec2.events().map((e) => e.key)).toEqual(['/a']);
    expect(s.watcherCount).toBe(1);
  });

  it('does not call back before watch() returns, and a watch from the future waits for it', async () => {
    const s = temp.open();
    await s.create('/a', '1');
    const rec = recorder();
    s.watch('', 0, rec.cb);
    expect(rec.batches).toHaveLength(0);
    const future = recorder();
    s.watch('', 3, future.cb);
    await Promise.all([s.create('/b', '2'), s.create('/c', '3'), s.create('/d', '4')]);
    await waitFor(() => future.events().length === 1, 'event 4');
    expect(future.events().map((e) => e.revision)).toEqual([4]);
  });

  it('no gaps or duplicates across replay → live while writes keep coming', async () => {
    const s = temp.open();
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) {
        const key = `/${i % 3 === 0 ? 'other' : 'w'}/${i % 50}`;
        const cur = s.get(key);
        const batch = [cur ? s.update(key, `v${i}`, cur.modRevision) : s.create(key, `v${i}`)];
        if (i % 7 === 0) batch.push(s.create(`/w/extra-${i}`, 'e'));
        await Promise.all(batch);
        i++;
      }
    })();
    const watchers: { from: number; rec: ReturnType<typeof recorder> }[] = [];
    // Start watchers at many moments mid-stream, from various past revisions.
    while (watchers.length < 30) {
      await waitFor(() => s.revision >= (watchers.length + 1) * 20, 'writer progress');
      const rec = recorder();
      const from = Math.max(0, s.revision - (watchers.length % 5) * 7);
      s.watch('/w/', from, rec.cb);
      watchers.push({ from, rec });
    }
    writing = false;
    await writer;
    const final = s.revision;
    // The reference: the full log under /w/, replayed once all writes are done.
    const reference = recorder();
    s.watch('/w/', 0, reference.cb);
    await waitFor(() => reference.batches.length === 1, 'reference replay');
    const all = reference.events();
    expect(all.length).toBeGreaterThan(400);
    for (const { from, rec } of watchers) {
      const want = all.filter((e) => e.revision > from);
      await waitFor(() => rec.events().length >= want.length, `watcher from ${from} catching up`);
      expect(rec.events()).toEqual(want);
    }
    expect(s.revision).toBe(final);
  });

  it('hundreds of watchers on one prefix all get every event', async () => {
    const s = temp.open();
    const recs = Array.from({ length: 300 }, () => recorder());
    for (const r of recs) s.watch('/pods/', 0, r.cb);
    const others = Array.from({ length: 100 }, () => recorder());
    others.forEach((r, i) => s.watch(`/other/${i}/`, 0, r.cb));
    const writes = [];
    for (let i = 0; i < 200; i++) writes.push(s.create(`/pods/p${i}`, 'v'));
    await Promise.all(writes);
    await waitFor(() => recs.every((r) => r.events().length === 200), 'every watcher has 200 events');
    expect(recs[299].batches).toHaveLength(1);
    expect(others.every((r) => r.batches.length === 0)).toBe(true);
  });

  it('a throwing callback does not stop other watchers or the writer', async () => {
    const errors: unknown[] = [];
    const s = temp.open({ onWatchError: (e) => errors.push(e) });
    s.watch('', 0, () => {
      throw new Error('boom');
    });
    const rec = recorder();
    s.watch('', 0, rec.cb);
    await s.create('/a', '1');
    await waitFor(() => rec.events().length === 1, 'delivery to the healthy watcher');
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('boom');
  });

  it('a watcher added from a callback during delivery gets that commit once (replay), not twice', async () => {
    const s = temp.open();
    const inner = recorder();
    let added = false;
    // The outer watcher's group is served first; the inner one joins a group served after it.
    s.watch('/a', 0, () => {
      if (added) return;
      added = true;
      s.watch('', 0, inner.cb);
    });
    const bystander = recorder();
    s.watch('', 0, bystander.cb);
    await s.create('/a', '1');
    await s.create('/b', '2');
    await waitFor(() => bystander.events().length === 2 && inner.events().length >= 2, 'both events');
    expect(inner.events().map((e) => e.key)).toEqual(['/a', '/b']);
  });
});
