// The project's own TypeScript client against a real API server over HTTPS: every verb, the
// selector forms, watch resume and expiry, and optimistic concurrency under contention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { ClientError, type ResourceRef } from '../../../main/client/types';
import { HttpClient } from '../../../main/client/http';
import type { ConfigMap, Pod, Service, Status, WatchEvent } from '../../../main/api/types';

const CM: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const SVC: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
const NS: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const DEPLOY: ResourceRef = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster({ compactWindow: 1_000_000 });
});
afterAll(async () => {
  await c?.stop();
});

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = { a: '1' }): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data,
});

async function rejects(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('the TypeScript client', () => {
  it('creates, gets, updates, patches (all four kinds) and deletes', async () => {
    const created = await c.client.create(CM, cm('one', { app: 'a' }));
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    const got = await c.client.get<ConfigMap>(CM, 'one', 'default');
    expect(got.data).toEqual({ a: '1' });

    got.data = { a: '2' };
    const updated = await c.client.update(CM, got);
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    // A stale resourceVersion is a 409 Conflict.
    const stale = await rejects(c.client.update(CM, got));
    expect(stale.code).toBe(409);
    expect(stale.reason).toBe('Conflict');

    const merged = await c.client.patch<ConfigMap>(CM, 'one', { data: { b: 'x' } }, 'merge', { namespace: 'default' });
    expect(merged.data).toEqual({ a: '2', b: 'x' });
    const jp = await c.client.patch<ConfigMap>(CM, 'one', [{ op: 'remove', path: '/data/b' }], 'json', { namespace: 'default' });
    expect(jp.data).toEqual({ a: '2' });
    const smp = await c.client.patch<ConfigMap>(CM, 'one', { metadata: { labels: { app: null, tier: 't' } } }, 'strategic', { namespace: 'default' });
    expect(smp.metadata?.labels).toEqual({ tier: 't' });
    const applied = await c.client.patch<ConfigMap>(CM, 'one', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { c: '3' } }, 'apply', { namespace: 'default', fieldManager: 'test' });
    expect(applied.data?.c).toBe('3');
    expect(applied.metadata?.managedFields?.some((m) => m.manager === 'test' && m.operation === 'Apply')).toBe(true);

    const bad = await rejects(c.client.patch(CM, 'one', [{ op: 'test', path: '/data/a', value: 'nope' }], 'json', { namespace: 'default' }));
    expect(bad.code).toBe(422);

    await c.client.delete(CM, 'one', { namespace: 'default' });
    expect((await rejects(c.client.get(CM, 'one', 'default'))).code).toBe(404);
    expect((await rejects(c.client.delete(CM, 'one', { namespace: 'default' }))).code).toBe(404);
  });

  it('rejects AlreadyExists, a missing namespace, and invalid objects with every cause', async () => {
    await c.client.create(CM, cm('dup'));
    const dup = await rejects(c.client.create(CM, cm('dup')));
    expect([dup.code, dup.reason]).toEqual([409, 'AlreadyExists']);
    const nons = await rejects(c.client.create(CM, { ...cm('x'), metadata: { name: 'x', namespace: 'nowhere' } }));
    expect(nons.code).toBe(404);
    expect(nons.message).toBe('namespaces "nowhere" not found');
    const inv = await rejects(c.client.create(DEPLOY, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Bad', namespace: 'default' }, spec: {} }));
    expect(inv.code).toBe(422);
    const fields = (inv.status?.details?.causes ?? []).map((x) => x.field);
    expect(fields).toContain('metadata.name');
    expect(fields).toContain('spec.selector');
    expect(fields).toContain('spec.template.metadata.labels');
  });

  it('lists with equality, set-based and field selectors, and pages with limit/continue', async () => {
    for (let i = 0; i < 7; i++) await c.client.create(CM, cm(`sel-${i}`, { group: i % 2 ? 'odd' : 'even', idx: String(i) }));
    const names = async (o: Parameters<typeof c.client.list>[1]) => (await c.client.list(CM, { namespace: 'default', ...o })).items.map((x) => x.metadata?.name).filter((n) => n?.startsWith('sel-'));
    expect(await names({ labelSelector: 'group=odd' })).toEqual(['sel-1', 'sel-3', 'sel-5']);
    expect(await names({ labelSelector: 'group!=odd,idx' })).toEqual(['sel-0', 'sel-2', 'sel-4', 'sel-6']);
    expect(await names({ labelSelector: 'idx in (1,2),group notin (even)' })).toEqual(['sel-1']);
    expect(await names({ labelSelector: '!idx' })).toEqual([]);
    expect(await names({ fieldSelector: 'metadata.name=sel-4' })).toEqual(['sel-4']);
    expect((await names({ fieldSelector: 'metadata.name!=sel-4', labelSelector: 'idx' })).length).toBe(6);
    const badSel = await rejects(c.client.list(CM, { namespace: 'default', labelSelector: 'a in (' }));
    expect(badSel.code).toBe(400);
    const badField = await rejects(c.client.list(CM, { namespace: 'default', fieldSelector: 'spec.nope=1' }));
    expect(badField.code).toBe(400);
    expect(badField.message).toContain('field label not supported: spec.nope');

    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await c.client.list(CM, { namespace: 'default', labelSelector: 'idx', limit: 3, continue: cont });
      seen.push(...page.items.map((x) => x.metadata!.name!));
      cont = page.metadata.continue;
      pages++;
    } while (cont);
    expect(seen).toEqual(['sel-0', 'sel-1', 'sel-2', 'sel-3', 'sel-4', 'sel-5', 'sel-6']);
    expect(pages).toBe(3);
  });

  it('pod field selectors as kubectl describe node sends them', async () => {
    const pod = (name: string, node?: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1' }] } });
    await c.client.create(PODS, pod('p-on-a', 'node-a'));
    await c.client.create(PODS, pod('p-on-b', 'node-b'));
    await c.client.create(PODS, pod('p-unbound'));
    const list = await c.client.list<Pod>(PODS, { fieldSelector: 'spec.nodeName=node-a,status.phase!=Succeeded,status.phase!=Failed' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['p-on-a']);
    const unbound = await c.client.list<Pod>(PODS, { namespace: 'default', fieldSelector: 'spec.nodeName=' });
    expect(unbound.items.map((p) => p.metadata?.name)).toEqual(['p-unbound']);
    // Pod defaults the server sets.
    const p = await c.client.get<Pod>(PODS, 'p-unbound', 'default');
    expect(p.spec?.restartPolicy).toBe('Always');
    expect(p.spec?.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(p.status?.phase).toBe('Pending');
    // An unbound pod is deleted at once; a bound pod waits for its node to confirm.
    await c.client.delete(PODS, 'p-unbound', { namespace: 'default' });
    expect((await rejects(c.client.get(PODS, 'p-unbound', 'default'))).code).toBe(404);
    const terminating = await c.client.delete(PODS, 'p-on-a', { namespace: 'default' });
    expect(terminating.metadata?.deletionTimestamp).toBeTruthy();
    expect((await c.client.get<Pod>(PODS, 'p-on-a', 'default')).metadata?.deletionGracePeriodSeconds).toBe(30);
    await c.client.delete(PODS, 'p-on-a', { namespace: 'default', gracePeriodSeconds: 0 });
    expect((await rejects(c.client.get(PODS, 'p-on-a', 'default'))).code).toBe(404);
  });

  it('watches from a resourceVersion, in order, and resumes where it left off', async () => {
    const start = (await c.client.list(CM, { namespace: 'default' })).metadata.resourceVersion!;
    const events: Array<WatchEvent<ConfigMap>> = [];
    const h = c.client.watch<ConfigMap>(CM, { namespace: 'default', resourceVersion: start, labelSelector: 'w=1' }, (e) => events.push(e), () => undefined);
    await c.client.create(CM, cm('w-a', { w: '1' }));
    await c.client.create(CM, cm('w-ignored', { w: '2' }));
    await c.client.patch(CM, 'w-a', { data: { a: 'changed' } }, 'merge', { namespace: 'default' });
    await c.client.patch(CM, 'w-ignored', { metadata: { labels: { w: '1' } } }, 'merge', { namespace: 'default' });
    await c.client.patch(CM, 'w-a', { metadata: { labels: { w: '0' } } }, 'merge', { namespace: 'default' });
    await waitFor(() => events.length >= 4, 'four watch events');
    h.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED w-a', 'MODIFIED w-a', 'ADDED w-ignored', 'DELETED w-a']);
    const rvs = events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);

    // Resume after the second event: exactly the rest arrives again.
    const resumed: Array<WatchEvent<ConfigMap>> = [];
    const h2 = c.client.watch<ConfigMap>(CM, { namespace: 'default', resourceVersion: events[1].object.metadata!.resourceVersion, labelSelector: 'w=1' }, (e) => resumed.push(e), () => undefined);
    await waitFor(() => resumed.length >= 2, 'the resumed events');
    h2.stop();
    expect(resumed.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED w-ignored', 'DELETED w-a']);
  });

  it('sends bookmarks when asked, and ends the stream at timeoutSeconds', async () => {
    c.core.ctx.bookmarkIntervalMs = 100;
    const rv = (await c.client.list(CM, { namespace: 'default' })).metadata.resourceVersion!;
    const events: Array<WatchEvent<ConfigMap>> = [];
    const t0 = Date.now();
    const closed = await new Promise<Error | undefined>((resolve) => {
      c.client.watch<ConfigMap>(CM, { namespace: 'default', resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 1 }, (e) => events.push(e), resolve);
    });
    expect(closed).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThanOrEqual(2);
    expect(bookmarks[0].object.kind).toBe('ConfigMap');
    expect(Number(bookmarks[0].object.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    c.core.ctx.bookmarkIntervalMs = 60_000;
  });

  it('sends a bookmark 2 s before the deadline, as the watch cache, however long the bookmark interval', async () => {
    expect(c.core.ctx.bookmarkIntervalMs).toBe(60_000); // kube-apiserver's defaultBookmarkFrequency
    const rv = (await c.client.list(CM, { namespace: 'default' })).metadata.resourceVersion!;
    const events: Array<WatchEvent<ConfigMap>> = [];
    await new Promise<Error | undefined>((resolve) => {
      c.client.watch<ConfigMap>(CM, { namespace: 'default', resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 3 }, (e) => events.push(e), resolve);
    });
    expect(events.filter((e) => e.type === 'BOOKMARK').map((e) => e.object.kind)).toEqual(['ConfigMap']);
  });

  it('a watch from a compacted revision gets 410 Expired', async () => {
    const old = (await c.client.list(CM, { namespace: 'default' })).metadata.resourceVersion!;
    for (let i = 0; i < 5; i++) await c.client.create(CM, cm(`compact-${i}`));
    c.core.store.compact(c.core.store.revision - 1);
    const err = await new Promise<Error | undefined>((resolve) => {
      c.client.watch(CM, { namespace: 'default', resourceVersion: old }, () => undefined, resolve);
    });
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).code).toBe(410);
  });

  it('many concurrent updates of one object: exactly one per revision wins', async () => {
    const base = await c.client.create(CM, cm('contended', {}, { n: '0' }));
    const rv = base.metadata!.resourceVersion!;
    const update = (i: number) => c.client.update(CM, { ...base, data: { n: String(i + 1) }, metadata: { ...base.metadata, resourceVersion: rv } });
    const attempts = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => update(i)));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(won.length).toBe(1);
    expect(lost.length).toBe(23);
    for (const l of lost) expect((l.reason as ClientError).code).toBe(409);
    // Read-modify-write with retry: every increment lands.
    const incr = async () => {
      for (;;) {
        const cur = await c.client.get<ConfigMap>(CM, 'contended', 'default');
        try {
          await c.client.update(CM, { ...cur, data: { n: String(Number(cur.data?.n) + 1) } });
          return;
        } catch (e) {
          if (!(e instanceof ClientError && e.code === 409)) throw e;
        }
      }
    };
    const start = Number((await c.client.get<ConfigMap>(CM, 'contended', 'default')).data?.n);
    await Promise.all(Array.from({ length: 20 }, incr));
    expect(Number((await c.client.get<ConfigMap>(CM, 'contended', 'default')).data?.n)).toBe(start + 20);
  });

  it('allocates ClusterIPs and NodePorts, rejects taken ones, and releases them on delete', async () => {
    const svc = (name: string, extra: Partial<Service['spec']> = {}): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...extra } });
    const a = await c.client.create<Service>(SVC, svc('svc-a', { type: 'NodePort' }));
    expect(a.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    const np = a.spec!.ports![0].nodePort!;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    const ipTaken = await rejects(c.client.create(SVC, svc('svc-b', { clusterIP: a.spec!.clusterIP })));
    expect(ipTaken.code).toBe(422);
    expect(ipTaken.message).toContain('provided IP is already allocated');
    const portTaken = await rejects(c.client.create(SVC, svc('svc-c', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] })));
    expect(portTaken.message).toContain('provided port is already allocated');
    const outOfRange = await rejects(c.client.create(SVC, svc('svc-d', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })));
    expect(outOfRange.code).toBe(422);
    const apiIp = await rejects(c.client.create(SVC, svc('svc-e', { clusterIP: '10.96.0.1' })));
    expect(apiIp.code).toBe(422);
    await c.client.delete(SVC, 'svc-a', { namespace: 'default' });
    const again = await c.client.create<Service>(SVC, svc('svc-f', { type: 'NodePort', clusterIP: a.spec!.clusterIP, ports: [{ port: 80, nodePort: np }] }));
    expect(again.spec?.clusterIP).toBe(a.spec!.clusterIP);
    // clusterIP is immutable.
    const immut = await rejects(c.client.patch(SVC, 'svc-f', { spec: { clusterIP: '10.96.9.9' } }, 'merge', { namespace: 'default' }));
    expect(immut.code).toBe(422);
  });

  it('deleting a namespace marks it Terminating, refuses new content, empties it and removes it', async () => {
    await c.client.create(NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await c.client.create(CM, { ...cm('inside'), metadata: { name: 'inside', namespace: 'doomed' } });
    const ns = await c.client.delete(NS, 'doomed');
    expect(ns.metadata?.deletionTimestamp).toBeTruthy();
    expect((ns as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    const refused = await rejects(c.client.create(CM, { ...cm('late'), metadata: { name: 'late', namespace: 'doomed' } }));
    expect([403, 404]).toContain(refused.code);
    // The namespace controller empties it, then it goes away.
    await waitFor(async () => (await rejects(c.client.get(NS, 'doomed'))).code === 404, 'the namespace to be removed');
    expect((await rejects(c.client.get(CM, 'inside', 'doomed'))).code).toBe(404);
  });

  it('a node may touch only its own pods; a pod that is gone is 404 to it, not 403', async () => {
    const nodeClient = new HttpClient({ server: c.core.api.url, token: c.core.auth.nodeToken('node-x'), caCertPem: c.core.caCertPem });
    try {
      const pod = (name: string, node: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1' }] } });
      await c.client.create(PODS, pod('mine', 'node-x'));
      await c.client.create(PODS, pod('theirs', 'node-y'));
      expect((await rejects(nodeClient.delete(PODS, 'theirs', { namespace: 'default', gracePeriodSeconds: 0 }))).code).toBe(403);
      await nodeClient.delete(PODS, 'mine', { namespace: 'default', gracePeriodSeconds: 0 });
      expect((await rejects(nodeClient.delete(PODS, 'mine', { namespace: 'default', gracePeriodSeconds: 0 }))).code).toBe(404);
      expect((await rejects(nodeClient.create(CM, cm('not-for-nodes')))).code).toBe(403);
    } finally {
      nodeClient.close();
    }
  });

  it('bodies over 3 MiB get 413', async () => {
    const big = JSON.stringify(cm('big', {}, { blob: 'x'.repeat(3 * 1024 * 1024 + 10) }));
    const r = await c.client.request('POST', '/api/v1/namespaces/default/configmaps', big);
    expect(r.code).toBe(413);
    expect((JSON.parse(r.text) as Status).reason).toBe('RequestEntityTooLarge');
  });
});
