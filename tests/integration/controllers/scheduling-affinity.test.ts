// Pod anti-affinity, pod affinity, topology spread constraints and scheduling gates against the real API server,
// controllers and kubectl: one replica per node (the extra one Pending with Kubernetes' message until a node joins),
// replicas spread evenly over zones, a pod waiting for the pod it must run beside, scheduled once that pod is bound,
// and a gated pod left alone (SchedulingGated) until its last gate is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3);
  // Two zones: a (nodes 0 and 1) and b (node 2).
  for (const [n, zone] of [['hollow-node-0', 'a'], ['hollow-node-1', 'a'], ['hollow-node-2', 'b']]) {
    await c.kubectlOk(['label', 'node', n, `topology.kubernetes.io/zone=${zone}`]);
  }
});
afterAll(async () => {
  await c?.stop();
});

async function podsOf(app: string, namespace = 'default'): Promise<Pod[]> {
  return (await c.core.client.list<Pod & KObject>(R.pods, { namespace, labelSelector: `app=${app}` })).items;
}

function deployment(name: string, replicas: number, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } },
    },
  });
}

describe('inter-pod affinity and topology spread', () => {
  it('required anti-affinity by hostname: one replica per node, the fourth Pending until a node joins', async () => {
    await c.kubectlOk(['apply', '-f', '-'], {
      input: deployment('solo', 4, {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' }] } },
      }),
    });
    const message = '0/3 nodes are available: 3 node(s) didn\'t match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    const pending = await waitFor(async () => {
      const pods = await podsOf('solo');
      const bound = pods.filter((p) => p.spec?.nodeName);
      const waiting = pods.filter((p) => p.status?.conditions?.some((k) => k.type === 'PodScheduled' && k.status === 'False' && k.message === message));
      return pods.length === 4 && bound.length === 3 && waiting.length === 1 ? { bound, waiting: waiting[0] } : undefined;
    }, '3 replicas bound and 1 Pending with the anti-affinity message', 20_000);
    expect(new Set(pending.bound.map((p) => p.spec?.nodeName)).size).toBe(3);
    const described = await waitFor(async () => {
      const d = await c.kubectl(['describe', 'pod', pending.waiting.metadata?.name ?? '']);
      return d.stdout.includes('FailedScheduling') ? d.stdout : undefined;
    }, 'FailedScheduling in kubectl describe', 10_000);
    expect(described).toContain("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");

    const { startHollowNodes } = await import('../../../main/hollow');
    const extra = startHollowNodes(c.core, { count: 1, namePrefix: 'extra-node-' });
    await extra.ready;
    try {
      const placed = await waitFor(async () => {
        const p = await c.core.client.get<Pod & KObject>(R.pods, pending.waiting.metadata?.name ?? '', 'default');
        return p.spec?.nodeName;
      }, 'the fourth replica scheduled on the new node', 15_000);
      expect(placed).toBe('extra-node-0');
    } finally {
      await c.kubectlOk(['delete', 'deployment', 'solo', '--wait=false']);
      await extra.stop();
    }
  });

  it('topologySpreadConstraints over zones: 4 replicas split 2 and 2 though zone b has one node', async () => {
    await c.kubectlOk(['apply', '-f', '-'], {
      input: deployment('spread', 4, {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }],
      }),
    });
    const pods = await waitFor(async () => {
      const all = await podsOf('spread');
      return all.length === 4 && all.every((p) => p.spec?.nodeName) ? all : undefined;
    }, '4 spread replicas bound', 20_000);
    const zoneB = pods.filter((p) => p.spec?.nodeName === 'hollow-node-2').length;
    expect(zoneB).toBe(2);

    // A fifth replica may go to either zone (3/2), a sixth then only to the other (3/3), never 4/2.
    await c.kubectlOk(['scale', 'deployment', 'spread', '--replicas=6']);
    const six = await waitFor(async () => {
      const all = await podsOf('spread');
      return all.length === 6 && all.every((p) => p.spec?.nodeName) ? all : undefined;
    }, '6 spread replicas bound', 20_000);
    expect(six.filter((p) => p.spec?.nodeName === 'hollow-node-2').length).toBe(3);
    await c.kubectlOk(['delete', 'deployment', 'spread', '--wait=false']);
  });

  it('required pod affinity: a pod waits for the pod it must share a zone with, then follows it', async () => {
    await c.core.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'c', image: 'busybox' }],
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
      },
    });
    await waitFor(async () => {
      const p = await c.core.client.get<Pod & KObject>(R.pods, 'web', 'default');
      return p.status?.conditions?.find((k) => k.type === 'PodScheduled')?.message?.includes("node(s) didn't match pod affinity rules");
    }, 'web Pending on pod affinity', 10_000);
    await c.core.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cache', namespace: 'default', labels: { app: 'cache' } },
      spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'b' }, containers: [{ name: 'c', image: 'busybox' }] },
    });
    const node = await waitFor(async () => (await c.core.client.get<Pod & KObject>(R.pods, 'web', 'default')).spec?.nodeName, 'web scheduled', 15_000);
    expect(node).toBe('hollow-node-2');
  });

  it('schedulingGates: the pod stays SchedulingGated, gates may only be removed, and it is scheduled once none is left', async () => {
    await c.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gated', namespace: 'default' },
        spec: { schedulingGates: [{ name: 'example.com/quota' }, { name: 'example.com/data' }], containers: [{ name: 'c', image: 'busybox' }] },
      }),
    });
    const status = async (): Promise<string> => (await c.kubectlOk(['get', 'pod', 'gated', '--no-headers'])).split(/\s+/)[2];
    expect(await status()).toBe('SchedulingGated');
    const cond = (await c.core.client.get<Pod & KObject>(R.pods, 'gated', 'default')).status?.conditions?.find((k) => k.type === 'PodScheduled');
    expect(cond).toEqual(expect.objectContaining({ status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }));

    const add = await c.kubectl(['patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"more"}}]']);
    expect(add.code).not.toBe(0);
    expect(add.stderr).toContain("spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'more'");

    await c.kubectlOk(['patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates/0"}]']);
    // One gate is left: still not scheduled (a scheduler that ignored gates binds within milliseconds; its queue is idle otherwise).
    const still = await c.core.client.get<Pod & KObject>(R.pods, 'gated', 'default');
    expect(still.spec?.schedulingGates).toEqual([{ name: 'example.com/data' }]);
    // While gated its placement may be narrowed, as Kueue does when it admits the pod.
    await c.kubectlOk(['patch', 'pod', 'gated', '-p', '{"spec":{"nodeSelector":{"topology.kubernetes.io/zone":"b"}}}']);
    await c.kubectlOk(['patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]']);
    const bound = await waitFor(async () => {
      const p = await c.core.client.get<Pod & KObject>(R.pods, 'gated', 'default');
      return p.spec?.nodeName ? p : undefined;
    }, 'the pod scheduled once its gates are gone', 15_000);
    expect(bound.spec?.nodeName).toBe('hollow-node-2');
    expect(bound.status?.conditions?.find((k) => k.type === 'PodScheduled')?.status).toBe('True');
    expect(await status()).not.toBe('SchedulingGated');
  });
});
