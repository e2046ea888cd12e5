// The UI's encoded pod list (main/bridge/list-cache.ts) against a real core: whatever it answers is exactly the list
// the store gives at the answer's resourceVersion (read back with resourceVersionMatch=Exact), made lean as the list
// call makes it, through creates, updates and deletes; a watch from that resourceVersion misses nothing; stopped, it
// starts again on the next list. Through the web UI's WebSocket, the page's list of pods is answered from it, after
// the small lists asked with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { encodedListCache, type EncodedListCache } from '../../../main/bridge/list-cache';
import { informerObject } from '../../../main/bridge/lean-pod';
import { startUiServer, type UiServer } from '../../../main/bridge/web-server';
import type { WsServerMessage } from '../../../main/bridge/contract';
import { rawBuffer } from '../../../main/protocol/ws-data';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

interface EncodedList { items: KObject[]; resourceVersion: string }

const pod = (name: string, labels: Record<string, string> = { app: 'web' }): Pod & KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] },
});

describe('the encoded list cache', () => {
  let c: TestCluster;
  let cache: EncodedListCache;

  beforeAll(async () => {
    c = await startTestCluster();
    cache = encodedListCache(c.core.client, ['pods'], { storeRevision: () => c.core.store.revision });
  }, 60_000);

  afterAll(async () => {
    cache?.stop();
    await c?.stop();
  });

  /** The cache's answer, and the store's list at the same revision made lean the same way. */
  async function both(): Promise<{ cached: EncodedList; exact: KObject[] }> {
    const cached = JSON.parse(await cache.listJson('pods')) as EncodedList;
    const exact = await c.core.client.list(R.pods, { resourceVersion: cached.resourceVersion, resourceVersionMatch: 'Exact' });
    return { cached, exact: exact.items.map((o) => informerObject('pods', o)) };
  }

  /** Waits until the cache shows `names` (its watch applies writes as they are delivered); at every look it must be the store's list at its revision. */
  async function shows(names: string[]): Promise<EncodedList> {
    const differing: string[] = [];
    const got = await waitFor(async () => {
      const { cached, exact } = await both();
      if (JSON.stringify(cached.items) !== JSON.stringify(exact)) differing.push(`at ${cached.resourceVersion}: ${JSON.stringify(cached.items)} vs ${JSON.stringify(exact)}`);
      return JSON.stringify(cached.items.map((p) => p.metadata?.name)) === JSON.stringify(names) ? cached : undefined;
    }, `the cache to show ${names.join(', ')}`, 10_000, 20);
    expect(differing).toEqual([]);
    return got;
  }

  it('answers the store\'s list at its resourceVersion, lean, through creates, updates and deletes', async () => {
    cache.warm();
    expect(cache.has('pods')).toBe(true);
    expect(cache.has('nodes')).toBe(false);
    for (const n of ['b', 'a', 'c']) await c.client.create(R.pods, pod(n), { namespace: 'default' });
    const first = await shows(['a', 'b', 'c']);
    // Lean: no managedFields, volumes or default tolerations.
    expect(first.items[0].metadata?.managedFields).toBeUndefined();
    expect((first.items[0] as Pod).spec?.tolerations).toBeUndefined();

    await c.client.patch(R.pods, 'b', { metadata: { labels: { app: 'web', tier: 'front' } } }, 'merge', { namespace: 'default' });
    await c.client.delete(R.pods, 'c', { namespace: 'default', gracePeriodSeconds: 0 });
    await c.client.create(R.pods, pod('d'), { namespace: 'default' });
    const later = await shows(['a', 'b', 'd']);
    expect(later.items.find((p) => p.metadata?.name === 'b')?.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    expect(Number(later.resourceVersion)).toBeGreaterThan(Number(first.resourceVersion));
  });

  it('answers at the store\'s revision when only other kinds were written since (a watch from it stays in the compaction window)', async () => {
    const cm = await c.client.create<KObject>(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default' }, data: { a: '1' } }, { namespace: 'default' });
    const after = await shows(['a', 'b', 'd']);
    expect(Number(after.resourceVersion)).toBeGreaterThanOrEqual(Number(cm.metadata?.resourceVersion));
  });

  it('a watch from its resourceVersion sees every later change', async () => {
    const at = (JSON.parse(await cache.listJson('pods')) as EncodedList).resourceVersion;
    const seen: string[] = [];
    const w = c.core.client.watch(R.pods, { resourceVersion: at }, (ev) => seen.push(`${ev.type} ${ev.object.metadata?.name ?? ''}`), () => undefined);
    try {
      await c.client.create(R.pods, pod('e'), { namespace: 'default' });
      await c.client.delete(R.pods, 'a', { namespace: 'default', gracePeriodSeconds: 0 });
      await waitFor(() => seen.includes('ADDED e') && seen.includes('DELETED a'), 'the watch to see e added and a deleted', 10_000, 20);
      expect(seen.filter((s) => s.startsWith('ADDED'))).toEqual(['ADDED e']);
    } finally {
      w.stop();
    }
    await shows(['b', 'd', 'e']);
  });

  it('stopped, starts again on the next list', async () => {
    cache.stop();
    await c.client.create(R.pods, pod('f'), { namespace: 'default' });
    await shows(['b', 'd', 'e', 'f']);
  });
});

describe('the web UI\'s list of pods', () => {
  let c: TestCluster;
  let ui: UiServer;

  beforeAll(async () => {
    c = await startTestCluster();
    ui = await startUiServer(c.core, { port: 0, staticDir: '/nonexistent' });
  }, 60_000);

  afterAll(async () => {
    await ui?.stop();
    await c?.stop();
  });

  it('is answered whole and at once over the WebSocket, the same as the list call', async () => {
    await c.client.create(R.pods, pod('web-1'), { namespace: 'default' });
    const u = new URL(ui.url);
    const ws = new WebSocket(`ws://${u.host}/bridge?token=${ui.token}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      const ask = (id: number, kind: string) => new Promise<WsServerMessage>((resolve) => {
        const on = (d: WebSocket.RawData) => {
          const m = JSON.parse(rawBuffer(d).toString()) as WsServerMessage;
          if ('id' in m && m.id === id) {
            ws.off('message', on);
            resolve(m);
          }
        };
        ws.on('message', on);
        ws.send(JSON.stringify({ id, call: 'list', req: { kind } }));
      });
      const listed = await waitFor(async () => {
        const m = await ask(1, 'pods');
        const r = 'id' in m ? m.result : undefined;
        return r?.ok && (r.value as EncodedList).items.length === 1 ? (r.value as EncodedList) : undefined;
      }, 'the pod in the UI\'s list', 10_000, 20);
      const exact = await c.core.client.list(R.pods, { resourceVersion: listed.resourceVersion, resourceVersionMatch: 'Exact' });
      expect(listed.items).toEqual(exact.items.map((o) => informerObject('pods', o)));
      // Asked together, as a page's first lists are: the small list (not kept encoded) is answered first, though
      // asked second, so the page has it before the big one ties up its thread.
      const order: number[] = [];
      await Promise.all([ask(3, 'pods').then(() => order.push(3)), ask(4, 'nodes').then(() => order.push(4))]);
      expect(order).toEqual([4, 3]);
    } finally {
      ws.close();
    }
  });
});
