import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type KV } from '../../../main/store/types';
import { TempStores } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

describe('store group commit', () => {
  it('commits writes issued in one tick in one transaction, revisions in call order', async () => {
    const s = temp.open();
    const before = s.stats.transactions;
    const writes: Promise<KV>[] = [];
    for (let i = 0; i < 500; i++) writes.push(s.create(`/k/${String(i).padStart(4, '0')}`, `v${i}`));
    const kvs = await Promise.all(writes);
    expect(s.stats.transactions - before).toBe(1);
    expect(kvs.map((kv) => kv.modRevision)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(s.revision).toBe(500);
    expect(s.count('/k/')).toBe(500);
  });

  it('separate ticks get separate transactions', async () => {
    const s = temp.open();
    await s.create('/a', '1');
    await s.create('/b', '2');
    expect(s.stats.transactions).toBe(2);
  });

  it('concurrent CAS updates with the same expected revision: exactly one wins', async () => {
    const s = temp.open();
    const kv = await s.create('/lock', 'free');
    const attempts = Array.from({ length: 20 }, (_, i) => s.update('/lock', `owner-${i}`, kv.modRevision));
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(StoreError);
      expect((r.reason as StoreError).code).toBe('Conflict');
      expect((r.reason as StoreError).revision).toBe(2);
    }
    expect(s.get('/lock')).toEqual({ key: '/lock', value: 'owner-0', createRevision: 1, modRevision: 2 });
    expect(s.revision).toBe(2);
  });

  it('checks each write against the batch so far: create then update then delete in one tick', async () => {
    const s = temp.open();
    const created = s.create('/x', 'a');
    const updated = s.update('/x', 'b', 1);
    const dup = s.create('/x', 'c');
    const deleted = s.delete('/x', 2);
    const gone = s.update('/x', 'd');
    const [c, u, d] = await Promise.all([created, updated, deleted]);
    expect(c.modRevision).toBe(1);
    expect(u).toEqual({ key: '/x', value: 'b', createRevision: 1, modRevision: 2 });
    expect(d).toEqual({ key: '/x', value: 'b', createRevision: 1, modRevision: 3 });
    await expect(dup).rejects.toMatchObject({ code: 'AlreadyExists' });
    await expect(gone).rejects.toMatchObject({ code: 'NotFound' });
    expect(s.stats.transactions).toBe(1);
    expect(s.get('/x')).toBeUndefined();
    expect(s.revision).toBe(3);
  });

  it('a batch where every write fails writes nothing', async () => {
    const s = temp.open();
    await expect(s.update('/nope', 'x')).rejects.toMatchObject({ code: 'NotFound' });
    expect(s.stats.transactions).toBe(0);
    expect(s.revision).toBe(0);
  });

  it('writes from a resolved write join a later batch and keep revisions contiguous', async () => {
    const s = temp.open();
    const chains = Array.from({ length: 10 }, async (_, c) => {
      for (let i = 0; i < 20; i++) await s.create(`/c${c}/${i}`, 'v');
    });
    await Promise.all(chains);
    expect(s.revision).toBe(200);
    // Ten chains advancing together: about one transaction per step, not per write.
    expect(s.stats.transactions).toBeLessThanOrEqual(40);
    const revs = s.list('').items.map((kv) => kv.modRevision).sort((a, b) => a - b);
    expect(revs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});
