// Events expire TTL after their last write (kube-apiserver's --event-ttl): a sweep over a real store deletes
// the old ones, the deletes reach watchers, newer Events and other kinds stay, and an Event updated after it
// was judged keeps its new lease.
import { afterEach, describe, expect, it } from 'vitest';
import { lastWriteMs, startEventExpirer } from '../../../main/store/event-ttl';
import type { KV } from '../../../main/store/types';
import { TempStores, recorder, waitFor } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

const HOUR = 3_600_000;
const ev = (name: string) => JSON.stringify({ kind: 'Event', metadata: { name, namespace: 'default' }, reason: 'Test' });

describe('event TTL', () => {
  it('deletes Events last written more than the TTL ago, and nothing else', async () => {
    const s = temp.open();
    await s.create('/registry/core/events/default/old-1', ev('old-1'));
    await s.create('/registry/core/events/default/old-2', ev('old-2'));
    await s.create('/registry/core/configmaps/default/keep', '{"kind":"ConfigMap"}');
    const rec = recorder();
    const stopWatch = s.watch('/registry/', s.revision, rec.cb);
    let clock = Date.now() + 30 * 60_000;
    const expirer = startEventExpirer(s, HOUR, () => clock);
    try {
      expect(await expirer.sweep()).toBe(0); // half the TTL: both Events live on
      // old-2 is written again: its lease starts over at that write.
      await s.update('/registry/core/events/default/old-2', ev('old-2'));
      clock = Date.now() + HOUR + 1000;
      expect(await expirer.sweep()).toBe(2);
      expect(s.list('/registry/core/events/').items).toEqual([]);
      expect(s.get('/registry/core/configmaps/default/keep')).toBeDefined();
      await waitFor(() => rec.events().filter((e) => e.type === 'DELETE').length === 2, 'two DELETE events');
      expect(rec.events().filter((e) => e.type === 'DELETE').map((e) => e.key).sort())
        .toEqual(['/registry/core/events/default/old-1', '/registry/core/events/default/old-2']);
    } finally {
      expirer.stop();
      stopWatch();
    }
  });

  it('keeps an Event written after the sweep began judging (its new write wins)', async () => {
    const s = temp.open();
    const kv = await s.create('/registry/core/events/default/e', ev('e'));
    const updated = await s.update(kv.key, ev('e'));
    // A sweep that judged the first write deletes only that write: a stale revision is a conflict, not a delete.
    await expect(s.delete(kv.key, kv.modRevision)).rejects.toMatchObject({ code: 'Conflict' });
    const expirer = startEventExpirer(s, HOUR, () => Date.now());
    try {
      expect(await expirer.sweep()).toBe(0);
      expect(s.get(kv.key)?.modRevision).toBe(updated.modRevision);
    } finally {
      expirer.stop();
    }
  });

  it('expires an Event whose write was compacted away by its own timestamps, not by a later write\'s time', async () => {
    const s = temp.open();
    const t1 = Date.now();
    const e = await s.create('/registry/core/events/default/e', JSON.stringify({ kind: 'Event', metadata: { name: 'e', creationTimestamp: new Date(t1).toISOString() } }));
    const written = s.revisionTime(e.modRevision)!;
    await waitFor(() => Date.now() >= written + 50, 'the clock 50 ms on');
    const later = await s.create('/registry/core/configmaps/default/later', '{"kind":"ConfigMap"}');
    s.compact(later.modRevision);
    // Compaction deleted the time of the Event's write: no time is known for it (the first one left is a later write's).
    expect(s.revisionTime(e.modRevision)).toBeUndefined();
    expect(s.revisionTime(later.modRevision)).toBeGreaterThanOrEqual(written + 50);
    // One TTL after the Event's own write, before one TTL after the later write: the Event expires.
    const expirer = startEventExpirer(s, 1000, () => written + 1000 + 10);
    try {
      expect(await expirer.sweep()).toBe(1);
      expect(s.get(e.key)).toBeUndefined();
    } finally {
      expirer.stop();
    }
  });

  it('judges an Event by its own timestamps when the store has no time for its write', () => {
    const kv: KV = {
      key: '/registry/core/events/default/x', createRevision: 1, modRevision: 1,
      value: JSON.stringify({ metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, lastTimestamp: '2026-01-01T01:00:00Z', series: { lastObservedTime: '2026-01-01T02:00:00.000000Z' } }),
    };
    expect(lastWriteMs({ revisionTime: () => undefined }, kv)).toBe(Date.parse('2026-01-01T02:00:00Z'));
    expect(lastWriteMs({ revisionTime: () => undefined }, { ...kv, value: '{}' })).toBeNaN();
    expect(lastWriteMs({ revisionTime: () => 42 }, kv)).toBe(42);
  });
});
