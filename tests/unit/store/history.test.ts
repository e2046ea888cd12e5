// List at past revisions and compaction, checked against snapshots of the live state taken
// after every write (a model the store cannot share code with: it is the store's own present).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { KV, StoreEvent } from '../../../main/store/types';
import { StoreError } from '../../../main/store/types';
import { TempStores, recorder, waitFor } from './helpers';
import type { SqliteStore } from '../../../main/store/sqlite-store';

const temp = new TempStores();
afterEach(() => temp.cleanup());

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Random creates/updates/deletes over a few keys; returns the full state after every revision. */
async function churn(s: SqliteStore, writes: number, seed: number): Promise<Map<number, KV[]>> {
  const rand = rng(seed);
  const snapshots = new Map<number, KV[]>([[s.revision, s.list('').items]]);
  const keys = ['/a/1', '/a/2', '/a/3', '/b/1', '/b/2', '/ab'];
  while (s.revision < writes) {
    const key = keys[Math.floor(rand() * keys.length)];
    const cur = s.get(key);
    if (!cur) await s.create(key, `v${s.revision + 1}`);
    else if (rand() < 0.7) await s.update(key, `v${s.revision + 1}`, cur.modRevision);
    else await s.delete(key, cur.modRevision);
    snapshots.set(s.revision, s.list('').items);
  }
  return snapshots;
}

describe('store history', () => {
  it('lists any past revision exactly as the state was then, with prefix and paging', async () => {
    const s = temp.open();
    const snapshots = await churn(s, 120, 7);
    for (const [rev, items] of snapshots) {
      expect(s.list('', { revision: rev })).toEqual({ items, revision: rev, more: false });
      const underA = items.filter((kv) => kv.key.startsWith('/a/'));
      expect(s.list('/a/', { revision: rev }).items).toEqual(underA);
      const page1 = s.list('/a/', { revision: rev, limit: 2 });
      expect(page1.items).toEqual(underA.slice(0, 2));
      expect(page1.more).toBe(underA.length > 2);
      if (page1.items.length === 2) {
        const page2 = s.list('/a/', { revision: rev, limit: 2, startAfter: page1.items[1].key });
        expect(page2.items).toEqual(underA.slice(2, 4));
      }
    }
    expect(() => s.list('', { revision: s.revision + 1 })).toThrow(RangeError);
  });

  it('compaction keeps the state at and after the compact revision, refuses older reads, and persists', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    const snapshots = await churn(s, 150, 11);
    s.compact(100);
    expect(s.compactRevision).toBe(100);
    for (const [rev, items] of snapshots) {
      if (rev < 100) {
        let err: unknown;
        try {
          s.list('', { revision: rev });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(StoreError);
        expect(err).toMatchObject({ code: 'Compacted', revision: 100 });
      } else {
        expect(s.list('', { revision: rev }).items).toEqual(items);
      }
    }
    s.close();
    const r = temp.open({ path: t });
    expect(r.compactRevision).toBe(100);
    expect(r.revision).toBe(150);
    expect(r.list('').items).toEqual(snapshots.get(150));
    expect(r.list('', { revision: 100 }).items).toEqual(snapshots.get(100));
  });

  it('compaction removes superseded rows and tombstones from the file, keeping current values', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    const kv = await s.create('/hot', '0');
    let rev = kv.modRevision;
    for (let i = 1; i <= 50; i++) rev = (await s.update('/hot', String(i), rev)).modRevision;
    await s.create('/gone', 'x');
    await s.delete('/gone');
    await s.create('/cold', 'c');
    await s.update('/hot', 'after'); // above the compact revision: its previous row must stay
    s.compact(s.revision - 1);
    expect(s.list('', { revision: s.compactRevision }).items.map((i) => [i.key, i.value])).toEqual([
      ['/cold', 'c'],
      ['/hot', '50'],
    ]);
    const rec = recorder();
    s.watch('', s.compactRevision, rec.cb);
    await waitFor(() => rec.events().length === 1, 'replay of the last update');
    expect(rec.events()[0]).toMatchObject({ key: '/hot', value: 'after', prevValue: '50', created: false });
    s.close();
    const raw = new Database(t, { readonly: true });
    try {
      const rows = raw.prepare<[], { key: string; value: string }>('SELECT key, value FROM log ORDER BY id').all();
      expect(rows).toEqual([
        { key: '/hot', value: '50' },
        { key: '/cold', value: 'c' },
        { key: '/hot', value: 'after' },
      ]);
    } finally {
      raw.close();
    }
  });

  it('step-by-step compaction leaves exactly the rows the definition keeps', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    await churn(s, 200, 23);
    s.close();
    interface Row { id: number; key: string; deleted: number }
    const readRows = (): Row[] => {
      const raw = new Database(t, { readonly: true });
      try {
        return raw.prepare<[], Row>('SELECT id, key, deleted FROM log ORDER BY id').all();
      } finally {
        raw.close();
      }
    };
    const before = readRows();
    const r = temp.open({ path: t });
    for (const c of [1, 17, 18, 60, 61, 120, 170]) r.compact(c);
    r.close();
    // Kept: every row above 170, and per key the newest row at or below 170 unless it is a delete.
    const C = 170;
    const newest = new Map<string, Row>();
    for (const row of before) if (row.id <= C) newest.set(row.key, row);
    const kept = before.filter((row) => row.id > C || (newest.get(row.key) === row && !row.deleted));
    expect(kept.length).toBeLessThan(before.length - 100);
    expect(readRows()).toEqual(kept);
  });

  it('compacting everything including a final delete keeps the revision across reopen', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    await s.create('/a', '1');
    await s.delete('/a');
    s.compact(2);
    s.close();
    const r = temp.open({ path: t });
    expect(r.revision).toBe(2);
    expect((await r.create('/a', '2')).modRevision).toBe(3);
  });

  it('watch from a compacted revision throws Compacted with the compact revision', async () => {
    const s = temp.open();
    await churn(s, 30, 3);
    s.compact(20);
    let err: unknown;
    try {
      s.watch('', 19, () => undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'Compacted', revision: 20 });
    const rec = recorder();
    s.watch('', 20, rec.cb);
    await waitFor(() => rec.events().length === 10, 'replay of 21..30');
    expect(rec.events().map((e: StoreEvent) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
  });

  it('auto-compaction keeps the configured window', async () => {
    const s = temp.open({ compactWindow: 5, autoCompactMs: 10 });
    await churn(s, 40, 5);
    await waitFor(() => s.compactRevision === 35, 'auto-compaction to revision 35');
    expect(() => s.list('', { revision: 34 })).toThrow(StoreError);
    expect(s.list('', { revision: 35 }).revision).toBe(35);
  });
});
