// A node whose Lease is not renewed goes Ready=Unknown, is tainted unreachable, and its pods are
// evicted after their toleration seconds and reappear on other nodes. IPAM gives podCIDRs; a
// deleted node's pods are garbage-collected. A new Node is created tainted not-ready:NoSchedule
// (TaintNodesByCondition admission): no pod is bound to it before it reports Ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, Node, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';
import { rawWatch } from '../../helpers/raw-watch';
import { startHollowNodes, type HollowNodes } from '../../../main/hollow';

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

const NOT_READY_NO_SCHEDULE = 'node.kubernetes.io/not-ready:NoSchedule';
const taintsOf = (n: Node): string[] => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

describe('node lifecycle', () => {
  it('creates a Node tainted not-ready:NoSchedule (once), and its Ready nodes lost the taint', async () => {
    for (const n of (await c.core.client.list(R.nodes)).items as unknown as Node[]) expect(taintsOf(n)).not.toContain(NOT_READY_NO_SCHEDULE);
    const manifest = (name: string, taints: unknown[] = []) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });
    const dry = JSON.parse(await c.kubectlOk(['create', '-f', '-', '--dry-run=server', '-o', 'json'], { input: manifest('dry-node') })) as Node;
    expect(taintsOf(dry)).toEqual([NOT_READY_NO_SCHEDULE]);
    const given = JSON.parse(await c.kubectlOk(['create', '-f', '-', '-o', 'json'], {
      input: manifest('given-node', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]),
    })) as Node;
    expect(taintsOf(given)).toEqual(['dedicated:NoSchedule', NOT_READY_NO_SCHEDULE]);
    await c.kubectlOk(['delete', 'node', 'given-node']);
  });

  it('binds no pod to a new node before the node lifecycle controller has seen it Ready and untainted it', async () => {
    const name = 'late-hollow-0';
    const nodeWatch = rawWatch(c, `/api/v1/nodes?watch=1&fieldSelector=metadata.name%3D${name}`);
    const podWatch = rawWatch(c, '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dpinned');
    let late: HollowNodes | undefined;
    try {
      await Promise.all([nodeWatch.response, podWatch.response]);
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pinned', namespace: 'default' }, spec: { nodeSelector: { 'kubernetes.io/hostname': name }, containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1' }] } };
      await c.core.client.create(R.pods, pod, { namespace: 'default' });
      late = startHollowNodes(c.core, { count: 1, namePrefix: 'late-hollow-', renewIntervalMs: 500 });
      await late.ready;
      type Ev = { type: string; object: Node & Pod & { metadata: { resourceVersion: string } } };
      const bound = await waitFor(() => (podWatch.events as unknown as Ev[]).find((e) => e.object.spec?.nodeName === name), 'the pod bound', 15_000);
      const nodeEvents = nodeWatch.events as unknown as Ev[];
      expect(nodeEvents[0]?.type).toBe('ADDED');
      expect(taintsOf(nodeEvents[0].object)).toContain(NOT_READY_NO_SCHEDULE);
      const untainted = nodeEvents.find((e) => !taintsOf(e.object).includes(NOT_READY_NO_SCHEDULE));
      expect(untainted).toBeDefined();
      // One store, one revision order: the binding came after the write that took the taint off.
      expect(Number(bound.object.metadata.resourceVersion)).toBeGreaterThan(Number(untainted!.object.metadata.resourceVersion));
    } finally {
      nodeWatch.close();
      podWatch.close();
      await late?.stop();
      await c.core.client.delete(R.pods, 'pinned', { namespace: 'default', gracePeriodSeconds: 0 }).catch(() => undefined);
      await c.core.client.delete(R.nodes, name).catch(() => undefined);
    }
  });

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
