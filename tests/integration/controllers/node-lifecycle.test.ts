// A node whose Lease is not renewed goes Ready=Unknown, is tainted unreachable, and its pods are
// evicted after their toleration seconds and reappear on other nodes. IPAM gives podCIDRs; a
// deleted node's pods are garbage-collected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, Node, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3, { hollow: { renewIntervalMs: 500 }, controllers: { nodeMonitorGracePeriodSeconds: 2, nodeMonitorPeriodMs: 250 } });
});
afterAll(async () => {
  await c?.stop();
});

async function pods(): Promise<Pod[]> {
  return (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items as unknown as Pod[];
}

describe('node lifecycle', () => {
  it('gives every node a podCIDR and pods IPs from it', async () => {
    const nodes = (await c.core.client.list(R.nodes)).items as unknown as Node[];
    const cidrs = await waitFor(async () => {
      const ns = (await c.core.client.list(R.nodes)).items as unknown as Node[];
      return ns.every((n) => n.spec?.podCIDR) ? ns.map((n) => n.spec!.podCIDR!) : undefined;
    }, 'podCIDRs', 10_000);
    expect(new Set(cidrs).size).toBe(nodes.length);
    for (const cidr of cidrs) expect(cidr).toMatch(/^10\.244\.\d+\.0\/24$/);
  });

  it('marks a silent node Unknown, taints it and moves its pods elsewhere', async () => {
    const m = deploymentManifest('web', 6);
    m.spec!.template.spec!.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }];
    await c.core.client.create(R.deployments, m);
    await waitFor(async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 6, '6 running', 20_000);
    const victim = 'hollow-node-1';
    const before = (await pods()).filter((p) => p.spec?.nodeName === victim).map((p) => p.metadata!.name!);
    expect(before.length).toBeGreaterThan(0);
    for (const p of await pods()) {
      const node = await c.core.client.get<Node & KObject>(R.nodes, p.spec!.nodeName!);
      const base = node.spec!.podCIDR!.split('.').slice(0, 3).join('.');
      expect(p.status?.podIP?.startsWith(`${base}.`)).toBe(true);
    }

    c.hollow.kill(victim);
    const node = await waitFor(async () => {
      const n = await c.core.client.get<Node & KObject>(R.nodes, victim);
      const ready = n.status?.conditions?.find((x) => x.type === 'Ready');
      return ready?.status === 'Unknown' && n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
    }, 'node Unknown and tainted', 15_000);
    const ready = node.status!.conditions!.find((x) => x.type === 'Ready')!;
    expect(ready.reason).toBe('NodeStatusUnknown');
    expect(ready.message).toBe('Kubelet stopped posting node status.');
    expect(node.spec!.taints!.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const desc = await c.kubectl(['get', 'node', victim]);
    expect(desc.stdout).toMatch(/NotReady/);

    // Evicted after 1 s of toleration; replacements run on the other nodes.
    await waitFor(async () => {
      const ps = await pods();
      const live = ps.filter((p) => !p.metadata?.deletionTimestamp);
      return live.length === 6 && live.every((p) => p.spec?.nodeName && p.spec.nodeName !== victim && p.status?.phase === 'Running');
    }, 'pods moved', 20_000);
    const evicted = await c.core.client.list(R.events, { namespace: 'default', fieldSelector: 'reason=TaintManagerEviction' });
    expect(evicted.items.length).toBeGreaterThan(0);

    // Deleting the node removes its (terminating, unconfirmed) pods.
    await c.kubectl(['delete', 'node', victim]);
    await waitFor(async () => !(await pods()).some((p) => p.spec?.nodeName === victim), 'pods of the deleted node removed', 20_000);
  });
});
