import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../main/store/types';
import { TempStores } from './helpers';

const temp = new TempStores();
afterEach(() => temp.cleanup());

async function storeError(p: Promise<unknown>): Promise<StoreError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(err)}`);
  return err;
}

describe('store CRUD', () => {
  it('starts at revision 0 and gives the first write revision 1', async () => {
    const s = temp.open();
    expect(s.revision).toBe(0);
    expect(s.compactRevision).toBe(0);
    const kv = await s.create('/a', '{"x":1}');
    expect(kv).toEqual({ key: '/a', value: '{"x":1}', createRevision: 1, modRevision: 1 });
    expect(s.revision).toBe(1);
    expect(s.get('/a')).toEqual(kv);
  });

  it('updates keep createRevision and bump modRevision; delete returns the last value', async () => {
    const s = temp.open();
    await s.create('/a', 'v1');
    await s.create('/b', 'w1');
    const up = await s.update('/a', 'v2');
    expect(up).toEqual({ key: '/a', value: 'v2', createRevision: 1, modRevision: 3 });
    const up2 = await s.update('/a', 'v3', 3);
    expect(up2.modRevision).toBe(4);
    const del = await s.delete('/a');
    expect(del).toEqual({ key: '/a', value: 'v3', createRevision: 1, modRevision: 5 });
    expect(s.get('/a')).toBeUndefined();
    expect(s.revision).toBe(5);
    const again = await s.create('/a', 'v4');
    expect(again).toEqual({ key: '/a', value: 'v4', createRevision: 6, modRevision: 6 });
  });

  it('rejects with AlreadyExists, NotFound and Conflict without using a revision', async () => {
    const s = temp.open();
    await s.create('/a', 'v1');
    const exists = await storeError(s.create('/a', 'again'));
    expect(exists.code).toBe('AlreadyExists');
    expect(exists.message).toContain('/a');
    expect((await storeError(s.update('/missing', 'x'))).code).toBe('NotFound');
    expect((await storeError(s.delete('/missing'))).code).toBe('NotFound');
    const conflict = await storeError(s.update('/a', 'v2', 7));
    expect(conflict.code).toBe('Conflict');
    expect(conflict.revision).toBe(1);
    expect((await storeError(s.delete('/a', 99))).code).toBe('Conflict');
    expect(s.revision).toBe(1);
    expect(s.get('/a')?.value).toBe('v1');
    await s.update('/a', 'v2', 1);
    expect(s.revision).toBe(2);
  });

  it('lists a prefix in sorted order with paging, and counts', async () => {
    const s = temp.open();
    const keys = ['/pods/ns1/b', '/pods/ns1/a', '/pods/ns2/c', '/pods/ns1/c', '/podsx/z', '/nodes/n1', '/pods/ns10/a'];
    for (const k of keys) await s.create(k, `v-${k}`);
    const all = s.list('/pods/');
    expect(all.items.map((i) => i.key)).toEqual(['/pods/ns1/a', '/pods/ns1/b', '/pods/ns1/c', '/pods/ns10/a', '/pods/ns2/c']);
    expect(all.more).toBe(false);
    expect(all.revision).toBe(7);
    expect(all.items[0]).toEqual({ key: '/pods/ns1/a', value: 'v-/pods/ns1/a', createRevision: 2, modRevision: 2 });

    const p1 = s.list('/pods/', { limit: 2 });
    expect(p1.items.map((i) => i.key)).toEqual(['/pods/ns1/a', '/pods/ns1/b']);
    expect(p1.more).toBe(true);
    const p2 = s.list('/pods/', { limit: 2, startAfter: p1.items[1].key });
    expect(p2.items.map((i) => i.key)).toEqual(['/pods/ns1/c', '/pods/ns10/a']);
    expect(p2.more).toBe(true);
    const p3 = s.list('/pods/', { limit: 2, startAfter: p2.items[1].key });
    expect(p3.items.map((i) => i.key)).toEqual(['/pods/ns2/c']);
    expect(p3.more).toBe(false);
    expect(s.list('/pods/', { limit: 1, startAfter: '/pods/ns2/c' })).toEqual({ items: [], more: false, revision: 7 });

    expect(s.count('/pods/')).toBe(5);
    expect(s.count('/pods/ns1/')).toBe(3);
    expect(s.count('/pods')).toBe(6);
    expect(s.count('')).toBe(7);
    expect(s.count('/none/')).toBe(0);
    await s.delete('/pods/ns1/b');
    expect(s.count('/pods/ns1/')).toBe(2);
    expect(s.list('/pods/ns1/').items.map((i) => i.key)).toEqual(['/pods/ns1/a', '/pods/ns1/c']);
  });

  it('returns frozen values that callers cannot corrupt', async () => {
    const s = temp.open();
    await s.create('/a', 'v1');
    const kv = s.get('/a');
    expect(kv && Object.isFrozen(kv)).toBe(true);
  });

  it('survives reopen: state, revision and the next revision', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    await s.create('/a', '1');
    await s.create('/b', '2');
    await s.update('/a', '3');
    await s.delete('/b');
    s.close();
    const r = temp.open({ path: t });
    expect(r.revision).toBe(4);
    expect(r.list('').items).toEqual([{ key: '/a', value: '3', createRevision: 1, modRevision: 3 }]);
    expect((await r.create('/c', '4')).modRevision).toBe(5);
  });

  it('close flushes pending writes; later calls fail with Closed', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    const pending = s.create('/a', 'queued');
    s.close();
    expect((await pending).modRevision).toBe(1);
    expect((await storeError(s.create('/b', 'x'))).code).toBe('Closed');
    expect((await storeError(s.update('/a', 'x'))).code).toBe('Closed');
    expect((await storeError(s.delete('/a'))).code).toBe('Closed');
    expect(() => s.get('/a')).toThrow(StoreError);
    const r = temp.open({ path: t });
    expect(r.get('/a')?.value).toBe('queued');
  });

  it('refuses a second opener of the same file while the first holds it', async () => {
    const t = temp.dbPath();
    const s = temp.open({ path: t });
    await s.create('/a', '1');
    expect(() => temp.open({ path: t })).toThrow(/in use by another process/);
  });
});
