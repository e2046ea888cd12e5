// Time travel on a real API server: a deleted Deployment is readable at an earlier revision (list at
// resourceVersionMatch=Exact, by kubectl and through the bridge's history calls) and gone at the current one; a
// revision above the current one is kube-apiserver's 504; the compaction interval is honoured (the revision current
// one interval earlier is compacted, then a list there is 410 Expired with etcd3's message), set from the bridge
// and kept in the data dir.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KList, KObject } from '../../../main/api/types';
import type { CallName, CallReq, CallRes } from '../../../main/bridge/contract';
import { bridgeDepsOf, createBridgeSession } from '../../../main/bridge/handlers';
import { testClusterAll, waitFor } from '../../helpers/cluster';

// The compactor off at first: the test turns it on when it is time.
const c = testClusterAll({ controllers: false, compactionIntervalMs: 0 });

async function call<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
  const r = await callRaw(name, req);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as CallRes<K>;
}

async function callRaw<K extends CallName>(name: K, req: CallReq<K>) {
  const s = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
  try {
    return await s.call(name, req);
  } finally {
    s.dispose();
  }
}

const LIST = '/apis/apps/v1/namespaces/default/deployments';
const replicasOf = (o: KObject | null | undefined) => (o?.spec as { replicas?: number } | undefined)?.replicas;

async function rawList(query: string): Promise<KList> {
  return JSON.parse(await c.kubectlOk(['get', '--raw', `${LIST}?${query}`])) as KList;
}

describe('time travel', () => {
  let created = 0;
  let scaled = 0;
  let deleted = 0;
  const started = Date.now();

  it('reads a deleted Deployment as it was at earlier revisions, and not at the current one', async () => {
    await c.kubectlOk(['create', 'deployment', 'web', '--image=docker.io/flotilla/hello:1', '--replicas=1']);
    created = Number(await c.kubectlOk(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']));
    await c.kubectlOk(['scale', 'deployment', 'web', '--replicas=3']);
    scaled = Number(await c.kubectlOk(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']));
    await c.kubectlOk(['delete', 'deployment', 'web']);
    deleted = c.core.store.revision;
    expect(scaled).toBeGreaterThan(created);

    const at = async (rv: number) => (await rawList(`resourceVersion=${rv}&resourceVersionMatch=Exact`));
    const then = await at(scaled);
    expect(then.metadata.resourceVersion).toBe(String(scaled));
    expect(then.items.map((d) => [d.metadata?.name, replicasOf(d)])).toEqual([['web', 3]]);
    expect((await at(created)).items.map((d) => replicasOf(d))).toEqual([1]);
    expect((await at(deleted)).items).toEqual([]);
    expect((await rawList('')).items).toEqual([]);
    // Without Exact (NotOlderThan), a resourceVersion reads the current state, as kube-apiserver's does.
    expect((await rawList(`resourceVersion=${scaled}`)).items).toEqual([]);
    // The same through kubectl's own list path, one object by field selector.
    const named = JSON.parse(await c.kubectlOk(['get', '--raw', `${LIST}?fieldSelector=metadata.name%3Dweb&resourceVersion=${created}&resourceVersionMatch=Exact`])) as KList;
    expect(named.items.map((d) => d.metadata?.name)).toEqual(['web']);
  });

  it('answers a revision above the current one with kube-apiserver\'s 504', async () => {
    const future = c.core.store.revision + 1000;
    const r = await c.kubectl(['get', '--raw', `${LIST}?resourceVersion=${future}&resourceVersionMatch=Exact`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Too large resource version: ${future}, current: `);
    const bad = await c.kubectl(['get', '--raw', `${LIST}?resourceVersion=abc&resourceVersionMatch=Exact`]);
    expect(bad.stderr).toContain('invalid resource version: abc');
  });

  it('gives the UI the cluster at a revision, an object at two revisions, and the revisions\' times', async () => {
    const snap = await call('historyAt', { revision: scaled });
    expect(snap.deployments.map((d) => d.metadata?.name)).toEqual(['web']);
    expect(snap.deployments[0].metadata?.managedFields).toBeUndefined();
    expect(snap.at).toBeGreaterThanOrEqual(started - 1000);
    expect(snap.at).toBeLessThanOrEqual(Date.now());
    const versions = await call('historyObject', { kind: 'deployments', name: 'web', namespace: 'default', revisions: [created, scaled, deleted] });
    expect(versions.map((v) => [v.revision, replicasOf(v.object)])).toEqual([[created, 1], [scaled, 3], [deleted, undefined]]);
    expect(versions[2].object).toBeNull();
    expect(versions[0].at).toBeLessThanOrEqual(versions[1].at!);
    const w = await call('historyWindow', null);
    expect(w).toMatchObject({ oldest: 1, current: c.core.store.revision, intervalMs: 0 });
    expect(w.currentAt).toBeGreaterThanOrEqual(versions[1].at!);
    const bad = await callRaw('historyAt', { revision: -1 });
    expect(bad).toEqual({ ok: false, error: { code: 400, reason: 'BadRequest', message: 'revision must be a whole number, 1 or more' } });
    const tooMany = await callRaw('historyObject', { kind: 'deployments', name: 'web', revisions: Array.from({ length: 11 }, (_, i) => i + 1) });
    expect(tooMany.ok).toBe(false);
  });

  it('honours the compaction interval: once compacted, a list there is 410 Expired with Kubernetes\' message', async () => {
    const refused = await callRaw('setCompactionInterval', { intervalMs: 10 });
    expect(refused).toEqual({ ok: false, error: { code: 422, reason: 'Invalid', message: 'the compaction interval must be at least 1s (or 0: never)' } });
    const window = await call('setCompactionInterval', { intervalMs: 1000 });
    expect(window.intervalMs).toBe(1000);
    expect(window.nextCompactionAt).toBeGreaterThan(Date.now() - 100);
    // Kept for the next start.
    expect(JSON.parse(fs.readFileSync(path.join(c.core.dataDir, 'compaction.json'), 'utf8'))).toEqual({ intervalMs: 1000 });
    // The first tick records the revision, the next compacts to it (kube-apiserver keeps one interval).
    await waitFor(() => c.core.store.compactRevision >= deleted, 'compaction past the delete', 20_000);
    const r = await c.kubectl(['get', '--raw', `${LIST}?resourceVersion=${scaled}&resourceVersionMatch=Exact`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Expired): The resourceVersion for the provided list is too old.');
    const status = await c.client.list({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
      { namespace: 'default', resourceVersion: String(scaled), resourceVersionMatch: 'Exact' }).catch((e: unknown) => e);
    expect(status).toMatchObject({ code: 410, reason: 'Expired', status: { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' } });
    const w = await call('historyWindow', null);
    expect(w.oldest).toBe(c.core.store.compactRevision);
    expect(w.lastCompaction?.revision).toBeGreaterThanOrEqual(deleted);
    expect(w.oldestAt).toBeGreaterThanOrEqual(started - 1000);
    await call('setCompactionInterval', { intervalMs: 0 });
  });
});
