// The store stays bounded: compaction runs in steps of at most `compactBatch` revisions (so no single transaction
// grows with the backlog), freed pages go back to the file system, the WAL is truncated and sized to the data, and a
// schema-2 database (no auto_vacuum) is rebuilt once, its rows intact.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { nextStepSize, startCompactor, STEP_BUDGET_MS } from '../../../main/store/compactor';
import type { SqliteStore } from '../../../main/store/sqlite-store';
import { TempStores, waitFor } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

const size = (f: string): number => (fs.existsSync(f) ? fs.statSync(f).size : 0);
const disk = (path: string): number => size(path) + size(`${path}-wal`) + size(`${path}-shm`);
const used = (s: SqliteStore): number => { const sp = s.space(); return (sp.pages - sp.freePages) * sp.pageSize; };

/** Churn: `rounds` updates of each of `keys` keys (values of ~2 KiB), and every other key deleted and made again. */
async function churn(s: SqliteStore, keys: number, rounds: number): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    await Promise.all(Array.from({ length: keys }, (_, k) => (s.get(`/k/${k}`) ? s.update(`/k/${k}`, `${r}:${'v'.repeat(2048)}`) : s.create(`/k/${k}`, 'new'))));
    await Promise.all(Array.from({ length: keys }, (_, k) => k % 2 === 0 ? s.delete(`/k/${k}`) : Promise.resolve()));
  }
}

describe('bounded store', () => {
  it('compacts in steps of at most compactBatch revisions, each a compacted store, ending where compact() ends', async () => {
    const a = temp.open({ compactBatch: 50 });
    const b = temp.open();
    for (const s of [a, b]) await churn(s, 40, 10);
    expect(a.revision).toBe(b.revision);
    const target = a.revision - 20;
    const steps = [];
    for (let step = a.compactStep(target); ; step = a.compactStep(target)) {
      steps.push(step);
      expect(a.compactRevision).toBe(step.to);
      if (step.done) break;
    }
    b.compact(target);
    expect(steps.length).toBe(Math.ceil(target / 50));
    let from = 0;
    for (const st of steps) {
      expect(st.to - from).toBeLessThanOrEqual(50);
      expect(st.rows).toBeLessThanOrEqual(2 * (st.to - from));
      from = st.to;
    }
    expect(steps.reduce((n, st) => n + st.rows, 0)).toBeGreaterThan(0);
    expect(a.compactRevision).toBe(target);
    // The same history either way: every read at or above the compact revision agrees.
    for (const rev of [target, target + 10, a.revision]) expect(a.list('/', { revision: rev })).toEqual(b.list('/', { revision: rev }));
    expect(a.compactStep(target)).toEqual({ to: target, rows: 0, done: true });
  });

  it('takes a smaller step when asked: one transaction over at most that many revisions', async () => {
    const s = temp.open();
    await churn(s, 20, 5);
    const step = s.compactStep(s.revision, 7);
    expect(step).toMatchObject({ to: 7, done: false });
    expect(s.compactRevision).toBe(7);
  });

  it('sizes its steps to the budget: halved after a slow one, doubled after a quick one, within bounds', () => {
    expect(nextStepSize(200, STEP_BUDGET_MS * 4, 10, 200)).toBe(100);
    expect(nextStepSize(12, STEP_BUDGET_MS + 1, 10, 200)).toBe(10);
    expect(nextStepSize(50, STEP_BUDGET_MS / 4, 10, 200)).toBe(100);
    expect(nextStepSize(150, 1, 10, 200)).toBe(200);
    expect(nextStepSize(64, STEP_BUDGET_MS * 0.75, 10, 200)).toBe(64);
    // A run of slow steps reaches the floor in a few halvings, and quick ones bring it back.
    let n = 200;
    for (let i = 0; i < 10; i++) n = nextStepSize(n, 300, 10, 200);
    expect(n).toBe(10);
    for (let i = 0; i < 10; i++) n = nextStepSize(n, 2, 10, 200);
    expect(n).toBe(200);
  });

  it('after a compaction run the files are at most twice the pages in use: free pages given back, the WAL truncated', async () => {
    const path = temp.dbPath();
    const s = temp.open({ path });
    await churn(s, 60, 12);
    const before = { disk: disk(path), used: used(s) };
    const c = startCompactor(s, 1000);
    try {
      await waitFor(() => c.state.pendingRevision > 0, 'the first tick records a revision', 10_000);
      const target = c.state.pendingRevision;
      await waitFor(() => c.state.runs.count === 1, 'the next tick compacts', 10_000);
      expect(s.compactRevision).toBe(target);
      expect(c.state.runs.lastSteps).toBeGreaterThanOrEqual(2); // a compaction step, then the checkpoint at least
    } finally {
      c.stop();
    }
    expect(used(s)).toBeLessThan(before.used);
    expect(disk(path)).toBeLessThan(before.disk);
    expect(disk(path)).toBeLessThanOrEqual(2 * used(s));
    const sp = s.space();
    expect(sp.freePages).toBeLessThanOrEqual(Math.floor((sp.pages - sp.freePages) / 6));
    expect(size(`${path}-wal`)).toBe(0);
  });

  it('keeps the WAL a bounded share of the data between compactions', async () => {
    const path = temp.dbPath();
    const s = temp.open({ path });
    await churn(s, 60, 12);
    s.compact(s.revision);
    s.checkpoint();
    // Writes after the checkpoint: the WAL is checkpointed at half the pages in use (at least 64 pages) and cut back to that.
    await churn(s, 60, 6);
    expect(size(`${path}-wal`)).toBeLessThanOrEqual(Math.max(used(s) / 2, 64 * s.space().pageSize) + 512 * 1024);
  });

  it('sizes the WAL of a store filling up as its data grows, not only at checkpoints', async () => {
    const path = temp.dbPath();
    const s = temp.open({ path });
    const page = s.space().pageSize;
    let largest = 0;
    // One write a transaction, as an API server's creates under light load: 3,000 values of ~2 KiB (≈ 6 MiB).
    for (let k = 0; k < 3000; k++) {
      await s.create(`/fill/${k}`, `${k}:${'v'.repeat(2048)}`);
      const wal = size(`${path}-wal`);
      largest = Math.max(largest, wal);
      expect(wal).toBeLessThanOrEqual(Math.max(used(s) / 2, 64 * page) + 512 * 1024);
    }
    // Before it was sized as the data grew, the WAL of a fresh store stayed at 64 pages (a checkpoint, with its fsyncs,
    // every few transactions) until the first compaction's checkpoint.
    expect(largest).toBeGreaterThan(256 * page);
  });

  it('rebuilds a schema-2 database once with incremental auto_vacuum, its rows and revisions intact', async () => {
    const path = temp.dbPath();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE log (id INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL, create_revision INTEGER NOT NULL,
                prev_revision INTEGER NOT NULL, deleted INTEGER NOT NULL);
              CREATE INDEX log_key_id ON log (key, id);
              CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
              CREATE TABLE revision_time (revision INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL);`);
    const insert = old.prepare('INSERT INTO log VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(1, '/a', 'one', 1, 0, 0);
    insert.run(2, '/b', 'two', 2, 0, 0);
    insert.run(3, '/a', 'three', 1, 1, 0);
    old.pragma('user_version = 2');
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    old.close();

    const s = temp.open({ path });
    expect(s.revision).toBe(3);
    expect(s.get('/a')).toMatchObject({ value: 'three', createRevision: 1, modRevision: 3 });
    expect(s.list('/', { revision: 2 }).items.map((kv) => kv.value)).toEqual(['one', 'two']);
    await s.create('/c', 'four');
    s.close();
    const check = new Database(path, { readonly: true });
    try {
      expect(check.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(check.pragma('user_version', { simple: true })).toBe(3);
    } finally {
      check.close();
    }
  });
});
