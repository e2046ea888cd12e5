// The reflector and informer against a real in-process API: list then watch, resume after a dropped
// watch from the last resourceVersion (no re-list), re-list after 410 Gone with the store reconciled,
// jittered exponential backoff while the API fails, field selectors, resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, KObject } from '../../../main/api/types';
import { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import { pollUntil } from '../../../main/protocol/poll';
import { startInProcessApi, type InProcessApi } from '../../helpers/in-process-api';
import { FaultyClient } from './faulty-client';

let api: InProcessApi;
beforeAll(async () => { api = await startInProcessApi(); });
afterAll(() => api?.close());

const cm = (ns: string, name: string, v: string): ConfigMap & KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { v } });

async function namespace(name: string): Promise<string> {
  await api.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function record(inf: Informer<ConfigMap & KObject>): string[] {
  const seen: string[] = [];
  inf.addHandler({
    add: (o) => seen.push(`add ${o.metadata!.name!}`),
    update: (_o, n) => seen.push(`update ${n.metadata!.name!}=${n.data!.v}`),
    delete: (o) => seen.push(`delete ${o.metadata!.name!}`),
  });
  return seen;
}

describe('reflector and informer', () => {
  it('resumes a dropped watch from its resourceVersion without listing again', async () => {
    const ns = await namespace('resume');
    const client = new FaultyClient(api.client);
    await client.create(R.configmaps, cm(ns, 'a', '1'));
    const inf = new Informer<ConfigMap & KObject>(client, R.configmaps, { namespace: ns, backoffMs: 10 });
    const seen = record(inf);
    const stop = inf.start();
    try {
      await inf.hasSynced;
      expect(inf.getByName(ns, 'a')?.data?.v).toBe('1');
      await client.patch(R.configmaps, 'a', { data: { v: '2' } }, 'merge', { namespace: ns });
      await pollUntil(() => inf.getByName(ns, 'a')?.data?.v === '2', 5000, 'the watch delivers the update');
      client.dropWatches();
      // Changes made while no watch is open arrive through the resumed watch.
      await client.create(R.configmaps, cm(ns, 'b', '1'));
      await client.patch(R.configmaps, 'a', { data: { v: '3' } }, 'merge', { namespace: ns });
      await pollUntil(() => inf.getByName(ns, 'a')?.data?.v === '3' && inf.getByName(ns, 'b'), 5000, 'caught up after the drop');
      expect(client.lists).toBe(1);
      expect(client.watches).toBe(2);
      expect(seen).toEqual(['add a', 'update a=2', 'add b', 'update a=3']);
    } finally {
      stop();
    }
  });

  it('re-lists when its resourceVersion was compacted (410) and reports what changed meanwhile', async () => {
    const ns = await namespace('relist');
    const client = new FaultyClient(api.client);
    await client.create(R.configmaps, cm(ns, 'a', '1'));
    await client.create(R.configmaps, cm(ns, 'b', '1'));
    const inf = new Informer<ConfigMap & KObject>(client, R.configmaps, { namespace: ns, backoffMs: 10, maxBackoffMs: 20 });
    const seen = record(inf);
    const stop = inf.start();
    try {
      await inf.hasSynced;
      client.failWatches = true;
      client.dropWatches();
      await client.delete(R.configmaps, 'b', { namespace: ns });
      await client.create(R.configmaps, cm(ns, 'd', '1'));
      await client.patch(R.configmaps, 'a', { data: { v: '2' } }, 'merge', { namespace: ns });
      api.store.compact(api.store.revision);
      client.failWatches = false;
      await pollUntil(() => client.lists === 2 && inf.getByName(ns, 'd'), 5000, 'a re-list');
      expect(inf.list().map((o) => `${o.metadata!.name!}=${o.data!.v}`).sort()).toEqual(['a=2', 'd=1']);
      expect(seen.slice(2).sort()).toEqual(['add d', 'delete b', 'update a=2']);
      await client.create(R.configmaps, cm(ns, 'e', '1'));
      await pollUntil(() => inf.getByName(ns, 'e'), 5000, 'watching again after the re-list');
      expect(client.lists).toBe(2);
    } finally {
      stop();
    }
  });

  it('backs off exponentially, with jitter, while listing fails', async () => {
    const client = new FaultyClient(api.client);
    client.failLists = 4;
    const errors: unknown[] = [];
    const inf = new Informer(client, R.configmaps, { namespace: 'default', backoffMs: 40, maxBackoffMs: 10_000, onError: (e) => errors.push(e) });
    const stop = inf.start();
    try {
      await inf.hasSynced;
      const t = client.listTimes;
      const gaps = t.slice(1).map((x, i) => x - t[i]);
      expect(gaps.length).toBe(4);
      // Delays are drawn from [d/2, d) with d = 40, 80, 160, 320 ms.
      gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(20 * 2 ** i - 2));
      expect(gaps[3]).toBeGreaterThan(gaps[0]);
      expect(errors.length).toBe(4);
    } finally {
      stop();
    }
  });

  it('sees only what its field selector selects', async () => {
    const ns = await namespace('selector');
    await api.client.create(R.configmaps, cm(ns, 'mine', '1'));
    await api.client.create(R.configmaps, cm(ns, 'other', '1'));
    const inf = new Informer<ConfigMap & KObject>(api.client, R.configmaps, { namespace: ns, fieldSelector: 'metadata.name=mine' });
    const seen = record(inf);
    const stop = inf.start();
    try {
      await inf.hasSynced;
      await api.client.patch(R.configmaps, 'other', { data: { v: '2' } }, 'merge', { namespace: ns });
      await api.client.patch(R.configmaps, 'mine', { data: { v: '2' } }, 'merge', { namespace: ns });
      await pollUntil(() => inf.getByName(ns, 'mine')?.data?.v === '2', 5000, 'the selected object changes');
      expect(seen).toEqual(['add mine', 'update mine=2']);
    } finally {
      stop();
    }
  });

  it('re-delivers every object as an update each resync period', async () => {
    const ns = await namespace('resync');
    await api.client.create(R.configmaps, cm(ns, 'a', '1'));
    const inf = new Informer<ConfigMap & KObject>(api.client, R.configmaps, { namespace: ns, resyncMs: 20 });
    const same: boolean[] = [];
    inf.addHandler({ update: (o, n) => same.push(o === n) });
    const stop = inf.start();
    try {
      await pollUntil(() => same.length >= 2, 5000, 'two resyncs');
      expect(same.every(Boolean)).toBe(true);
    } finally {
      stop();
    }
  });
});
