// Boolean query parameters read as Kubernetes reads them (apimachinery's Convert_Slice_string_To_bool:
// absent, "0" and any case of "false" are false, every other value is true): the Python client sends
// `watch=True`, and watch, allowWatchBookmarks, sendInitialEvents and force all follow the one rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { rawWatch } from '../../helpers/raw-watch';
import type { ConfigMap, KList, Status } from '../../../main/api/types';

let c: TestCluster;
const CMS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  const r = await c.client.request('POST', CMS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed' }, data: { a: '1' } }));
  expect(r.code).toBe(201);
});
afterAll(async () => {
  await c?.stop();
});

describe('boolean query parameters', () => {
  it.each(['true', 'True', 'TRUE', '1', 't', 'T', 'yes', ''])('watch=%s is a watch', async (v) => {
    const w = rawWatch(c, `${CMS}?watch=${v}`);
    try {
      expect((await w.response).code).toBe(200);
      await waitFor(() => w.events.some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'seed'), `an ADDED event for watch=${v}`);
    } finally {
      w.close();
    }
  });

  it.each(['false', 'False', 'FALSE', '0'])('watch=%s is a list', async (v) => {
    const r = await c.client.request('GET', `${CMS}?watch=${v}`);
    expect(r.code).toBe(200);
    expect((JSON.parse(r.text) as KList<ConfigMap>).kind).toBe('ConfigMapList');
  });

  it('allowWatchBookmarks=True gets bookmarks, allowWatchBookmarks=0 none', async () => {
    const before = c.core.ctx.bookmarkIntervalMs;
    c.core.ctx.bookmarkIntervalMs = 20;
    try {
      const on = rawWatch(c, `${CMS}?watch=True&allowWatchBookmarks=True&timeoutSeconds=1`);
      await on.ended;
      expect(on.events.some((e) => e.type === 'BOOKMARK')).toBe(true);
      const off = rawWatch(c, `${CMS}?watch=True&allowWatchBookmarks=0&timeoutSeconds=1`);
      await off.ended;
      expect(off.events.filter((e) => e.type === 'BOOKMARK')).toEqual([]);
      expect(off.events.every((e) => e.type === 'ADDED')).toBe(true);
    } finally {
      c.core.ctx.bookmarkIntervalMs = before;
    }
  });

  it('force=True takes over a conflicting field in a server-side apply', async () => {
    const apply = (manager: string, value: string, force: string) => c.client.request('PATCH', `/api/v1/namespaces/default/configmaps/forced?fieldManager=${manager}&force=${force}`,
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'forced' }, data: { k: value } }), 'application/apply-patch+yaml');
    expect((await apply('first', '1', 'false')).code).toBe(201);
    expect((await apply('second', '2', 'False')).code).toBe(409);
    const forced = await apply('second', '2', 'True');
    expect(forced.code).toBe(200);
    expect((JSON.parse(forced.text) as ConfigMap).data).toEqual({ k: '2' });
  });

  it('sendInitialEvents=True sends the state, then a bookmark marking its end, then changes', async () => {
    const w = rawWatch(c, `${CMS}?watch=1&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=True`);
    try {
      expect((await w.response).code).toBe(200);
      await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), 'the initial-events-end bookmark');
      const end = w.events.findIndex((e) => e.type === 'BOOKMARK');
      expect(w.events.slice(0, end).map((e) => [e.type, e.object.metadata?.name])).toContainEqual(['ADDED', 'seed']);
      const bookmark = w.events[end].object;
      expect(bookmark.kind).toBe('ConfigMap');
      expect(bookmark.apiVersion).toBe('v1');
      expect(bookmark.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(Number(bookmark.metadata?.resourceVersion)).toBeGreaterThan(0);
      const r = await c.client.request('POST', CMS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-initial' } }));
      expect(r.code).toBe(201);
      await waitFor(() => w.events.slice(end).some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'after-initial'), 'the event after the initial state');
    } finally {
      w.close();
    }
  });

  it('sendInitialEvents=false without a resourceVersion starts from now: no initial state', async () => {
    const w = rawWatch(c, `${CMS}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
    try {
      expect((await w.response).code).toBe(200);
      const r = await c.client.request('POST', CMS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-now' } }));
      expect(r.code).toBe(201);
      await waitFor(() => w.events.some((e) => e.object.metadata?.name === 'from-now'), 'the new configmap');
      expect(w.events.map((e) => [e.type, e.object.metadata?.name])).toEqual([['ADDED', 'from-now']]);
    } finally {
      w.close();
    }
  });

  it('sendInitialEvents is refused where Kubernetes refuses it, with its messages', async () => {
    const list = await c.client.request('GET', `${CMS}?sendInitialEvents=true`);
    expect(list.code).toBe(422);
    const ls = JSON.parse(list.text) as Status;
    expect(ls.reason).toBe('Invalid');
    expect(ls.message).toBe('ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
    expect(ls.details).toMatchObject({ group: 'meta.k8s.io', kind: 'ListOptions', causes: [{ reason: 'FieldValueForbidden', field: 'sendInitialEvents' }] });

    const noMatch = await c.client.request('GET', `${CMS}?watch=true&sendInitialEvents=true`);
    expect(noMatch.code).toBe(422);
    expect((JSON.parse(noMatch.text) as Status).message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');

    const matchAlone = await c.client.request('GET', `${CMS}?watch=true&resourceVersionMatch=NotOlderThan`);
    expect(matchAlone.code).toBe(422);
    expect((JSON.parse(matchAlone.text) as Status).message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  });
});
