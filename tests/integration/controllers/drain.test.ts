// kubectl cordon and kubectl drain --ignore-daemonsets (eviction) against the control loops: a
// DaemonSet runs one pod per node (and keeps it on the drained node), deployment pods move away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSet, KObject, Node, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3);
});
afterAll(async () => {
  await c?.stop();
});

async function list(selector: string): Promise<Pod[]> {
  return (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: selector })).items as unknown as Pod[];
}

describe('cordon and drain', () => {
  it('runs a daemon pod per node, and drains a node with eviction', async () => {
    await c.core.client.create(R.daemonsets, {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } } },
    });
    const daemons = await waitFor(async () => {
      const l = await list('app=agent');
      return l.length === 3 && l.every((p) => p.status?.phase === 'Running') ? l : undefined;
    }, 'daemon pods', 20_000);
    expect(new Set(daemons.map((p) => p.spec?.nodeName)).size).toBe(3);
    const term = daemons[0].spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0];
    expect(term?.matchFields?.[0]).toMatchObject({ key: 'metadata.name', operator: 'In' });
    await waitFor(async () => {
      const ds = await c.core.client.get<DaemonSet & KObject>(R.daemonsets, 'agent', 'default');
      return ds.status?.desiredNumberScheduled === 3 && ds.status.numberReady === 3 && ds.status.currentNumberScheduled === 3;
    }, 'daemonset status', 10_000);

    await c.core.client.create(R.deployments, deploymentManifest('web', 6));
    await waitFor(async () => (await list('app=web')).filter((p) => p.status?.phase === 'Running').length === 6, 'web running', 20_000);

    const target = 'hollow-node-0';
    expect((await c.kubectl(['cordon', target])).code).toBe(0);
    const n = await c.core.client.get<Node & KObject>(R.nodes, target);
    expect(n.spec?.unschedulable).toBe(true);
    const drain = await c.kubectl(['drain', target, '--ignore-daemonsets', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(drain.code).toBe(0);
    expect(drain.stdout).toContain(`node/${target} drained`);
    const web = await waitFor(async () => {
      const l = (await list('app=web')).filter((p) => !p.metadata?.deletionTimestamp);
      return l.length === 6 && l.every((p) => p.status?.phase === 'Running') ? l : undefined;
    }, 'web rescheduled', 20_000);
    expect(web.some((p) => p.spec?.nodeName === target)).toBe(false);
    // The daemon pod stays on the cordoned node (it tolerates unschedulable).
    expect((await list('app=agent')).some((p) => p.spec?.nodeName === target)).toBe(true);

    // A new node joins: the DaemonSet follows it.
    const { startHollowNodes } = await import('../../../main/hollow');
    const extra = startHollowNodes(c.core, { count: 1, namePrefix: 'late-' });
    await extra.ready;
    try {
      await waitFor(async () => (await list('app=agent')).some((p) => p.spec?.nodeName === 'late-0' && p.status?.phase === 'Running'), 'daemon on new node', 20_000);
      expect((await c.kubectl(['uncordon', target])).code).toBe(0);
    } finally {
      await extra.stop();
    }
  });
});
