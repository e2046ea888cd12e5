// Time travel's store parts: every revision's time (one per transaction, kept across reopen, dropped with
// compaction below the compact revision, a version-1 database upgraded in place), and the interval compactor that
// compacts to the revision current one interval earlier, as kube-apiserver's does.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCompactor } from '../../../main/store/compactor';
import { TempStores, waitFor } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

describe('revision times', () => {
  it('records when each transaction was written, for each of its revisions, across reopen and compaction', async () => {
    const path = temp.dbPath();
    const s = temp.open({ path });
    const before = Date.now();
    await Promise.all([s.create('/a', '1'), s.create('/b', '1')]);
    const first = Date.now();
    await s.update('/a', '2');
    const after = Date.now();
    expect(s.revision).toBe(3);
    const [t1, t2, t3] = [1, 2, 3].map((r) => s.revisionTime(r)!);
    expect(t1).toBe(t2);
    expect(t1).toBeGreaterThanOrEqual(before);
    expect(t1).toBeLessThanOrEqual(first);
    expect(t3).toBeGreaterThanOrEqual(t1);
    expect(t3).toBeLessThanOrEqual(after);
    expect(s.revisionTime(0)).toBeUndefined();
    expect(s.revisionTime(4)).toBeUndefined();
    s.close();
    const r = temp.open({ path });
    expect(r.revisionTime(2)).toBe(t2);
    r.compact(2);
    expect(r.revisionTime(2)).toBe(t2);
    expect(r.revisionTime(3)).toBe(t3);
  });

  it('upgrades a version-1 database in place: its revisions have no time, new ones do', async () => {
    const path = temp.dbPath();
    const s = temp.open({ path });
    await s.create('/a', '1');
    s.close();
    const db = new Database(path);
    db.exec('DROP TABLE revision_time');
    db.pragma('user_version = 1');
    db.close();
    const r = temp.open({ path });
    await r.create('/b', '1');
    expect(r.revisionTime(2)).toBeGreaterThan(0);
    // Revision 1's transaction left no row: the first recorded one at or above it stands in.
    expect(r.revisionTime(1)).toBe(r.revisionTime(2));
    expect(r.list('').items.map((kv) => kv.key)).toEqual(['/a', '/b']);
  });
});

describe('interval compactor', () => {
  it('records the revision on the first tick and compacts to it on the next; 0 stops it', async () => {
    const s = temp.open();
    for (let i = 0; i < 5; i++) await s.create(`/k${i}`, 'v');
    const c = startCompactor(s, 30);
    try {
      await waitFor(() => c.state.pendingRevision === 5, 'the first tick records revision 5');
      expect(s.compactRevision).toBe(0);
      await s.create('/k5', 'v');
      // The run is recorded once its last step (compaction, then page give-back and checkpoint) is done.
      await waitFor(() => c.state.last?.revision === 5, 'the next tick compacts to 5');
      expect(s.compactRevision).toBe(5);
      expect(() => c.setIntervalMs(10)).toThrow('the compaction interval must be at least 1s (or 0: never)');
      c.setIntervalMs(0);
      expect(c.state.nextAt).toBeUndefined();
    } finally {
      c.stop();
    }
  });
});
