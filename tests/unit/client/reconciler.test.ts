// The reconciler against a real in-process API: For enqueues the object, Owns enqueues the
// controller owner, Watches enqueues what its map returns; a throw is retried with per-key
// exponential backoff; requeueAfter brings the key back; success forgets the key's failures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Deployment, KObject, ReplicaSet } from '../../../main/api/types';
import { SharedInformers } from '../../../main/client/cache/shared-informers';
import { newReconciler, startController } from '../../../main/client/reconciler';
import type { ReconcileFunc } from '../../../main/client/reconciler';
import { R } from '../../../main/client/refs';
import { pollUntil } from '../../../main/protocol/poll';
import { startInProcessApi, type InProcessApi } from '../../helpers/in-process-api';

let api: InProcessApi;
const stops: Array<() => void> = [];
beforeAll(async () => { api = await startInProcessApi(); });
afterEach(() => { for (const s of stops.splice(0)) s(); });
afterAll(() => api?.close());

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'img' }] } };
const deployment = (ns: string, name: string): Deployment & KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template },
});
const replicaSet = (ns: string, name: string, owner?: Deployment): ReplicaSet & KObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: {
    name, namespace: ns,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}),
  },
  spec: { replicas: 0, selector: { matchLabels: { app: 'x' } }, template },
});

async function namespace(name: string): Promise<string> {
  await api.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** Starts a controller built by `build` on fresh shared informers. */
function run(build: (b: ReturnType<typeof newReconciler>) => ReturnType<ReturnType<typeof newReconciler>['complete']>, logs: string[] = []): void {
  const informers = new SharedInformers(api.client);
  const c = build(newReconciler({ informers, log: (l) => logs.push(l) }, 'test', { queue: { baseDelayMs: 20 } }));
  stops.push(startController(c, informers));
}

describe('reconciler', () => {
  it('For enqueues the object; Owns enqueues the controller owner of an owned object; Watches enqueues what map returns', async () => {
    const ns = await namespace('owns');
    const calls: string[] = [];
    const d = await api.client.create<Deployment & KObject>(R.deployments, deployment(ns, 'web'));
    run((b) => b.for('deployments').owns('replicasets').watches<ConfigMap>('configmaps', (cm) => [`${ns}/${cm.data?.target ?? ''}`])
      .complete((key) => { calls.push(key); }));
    await pollUntil(() => calls.includes(`${ns}/web`), 5000, 'the deployment reconciled');
    calls.length = 0;
    await api.client.create(R.replicasets, replicaSet(ns, 'web-1', d));
    await api.client.create(R.replicasets, replicaSet(ns, 'orphan'));
    await pollUntil(() => calls.includes(`${ns}/web`), 5000, 'the owner reconciled for its replicaset');
    await api.client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pointer', namespace: ns }, data: { target: 'elsewhere' } });
    await pollUntil(() => calls.includes(`${ns}/elsewhere`), 5000, 'the mapped key reconciled');
    expect(calls).not.toContain(`${ns}/orphan`);
    expect(calls).not.toContain(`${ns}/web-1`);
  });

  it('retries a key whose reconcile throws, with per-key exponential backoff, and forgets it after success', async () => {
    const ns = await namespace('retry');
    await api.client.create(R.deployments, deployment(ns, 'flaky'));
    const times: number[] = [];
    const logs: string[] = [];
    let fails = 3;
    const reconcile: ReconcileFunc = (key) => {
      if (key !== `${ns}/flaky`) return;
      times.push(Date.now());
      if (fails-- > 0) throw new Error('not yet');
    };
    run((b) => b.for('deployments').complete(reconcile), logs);
    await pollUntil(() => times.length === 4, 5000, 'three retries');
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // baseDelayMs 20: 20, 40, 80 ms.
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(20 * 2 ** i - 2));
    expect(logs.filter((l) => l.includes(`${ns}/flaky: not yet`)).length).toBe(3);
    // A later change is reconciled at once: the failures were forgotten.
    const t0 = Date.now();
    await api.client.patch(R.deployments, 'flaky', { metadata: { labels: { v: '2' } } }, 'merge', { namespace: ns });
    await pollUntil(() => times.length === 5, 5000, 'the update reconciled');
    expect(times[4] - t0).toBeLessThan(200);
  });

  it('brings a key back after requeueAfter', async () => {
    const ns = await namespace('requeue');
    await api.client.create(R.deployments, deployment(ns, 'timer'));
    const times: number[] = [];
    run((b) => b.for('deployments').complete((key) => {
      if (key !== `${ns}/timer`) return;
      times.push(Date.now());
      return times.length < 3 ? { requeueAfter: 100 } : undefined;
    }));
    await pollUntil(() => times.length === 3, 5000, 'two requeues');
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(98);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(98);
    await new Promise((r) => setTimeout(r, 250));
    expect(times.length).toBe(3);
  });
});
