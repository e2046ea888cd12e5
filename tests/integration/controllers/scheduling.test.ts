// A pod that fits nowhere says why: PodScheduled=False/Unschedulable and a FailedScheduling event
// with Kubernetes' message, shown by `kubectl describe pod`. It is scheduled once a node fits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3);
});
afterAll(async () => {
  await c?.stop();
});

const MESSAGE = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';

describe('scheduler', () => {
  it('explains an unschedulable pod in kubectl describe and schedules it when a node fits', async () => {
    expect((await c.kubectl(['taint', 'node', 'hollow-node-0', 'node-role.kubernetes.io/control-plane:NoSchedule'])).code).toBe(0);
    await c.core.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '6' } } }] },
    });
    await waitFor(async () => {
      const p = await c.core.client.get<Pod & KObject>(R.pods, 'big', 'default');
      const cond = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
      return cond?.status === 'False' && cond.reason === 'Unschedulable' && cond.message === MESSAGE;
    }, 'PodScheduled=False', 10_000);
    const out = await waitFor(async () => {
      const d = await c.kubectl(['describe', 'pod', 'big']);
      return d.stdout.includes('FailedScheduling') ? d.stdout : undefined;
    }, 'FailedScheduling in describe', 10_000);
    expect(out).toMatch(/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, 2 Insufficient cpu\. preemption: 0\/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\./);

    // A bigger node joins: the parked pod is retried on the node event, not in a busy loop.
    const { startHollowNodes } = await import('../../../main/hollow');
    const big = startHollowNodes(c.core, { count: 1, namePrefix: 'big-node-', cpu: '16' });
    await big.ready;
    try {
      const p = await waitFor(async () => {
        const x = await c.core.client.get<Pod & KObject>(R.pods, 'big', 'default');
        return x.spec?.nodeName ? x : undefined;
      }, 'pod scheduled', 15_000);
      expect(p.spec?.nodeName).toBe('big-node-0');
      const d = await waitFor(async () => {
        const r = await c.kubectl(['describe', 'pod', 'big']);
        return r.stdout.includes('Scheduled') && r.stdout.includes('Successfully assigned default/big to big-node-0') ? r.stdout : undefined;
      }, 'Scheduled event', 10_000);
      expect(d).toContain('Successfully assigned default/big to big-node-0');
    } finally {
      await big.stop();
    }
  });

  it('honours nodeSelector, hostPort conflicts and cordoned nodes', async () => {
    await c.kubectl(['uncordon', 'hollow-node-1']);
    await c.core.client.patch(R.nodes, 'hollow-node-2', { metadata: { labels: { disk: 'ssd' } } }, 'merge');
    await c.core.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ssd', namespace: 'default' },
      spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }] }] },
    });
    const p = await waitFor(async () => (await c.core.client.get<Pod & KObject>(R.pods, 'ssd', 'default')).spec?.nodeName, 'ssd scheduled', 10_000);
    expect(p).toBe('hollow-node-2');
    await c.core.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ssd2', namespace: 'default' },
      spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }] }] },
    });
    await waitFor(async () => {
      const x = await c.core.client.get<Pod & KObject>(R.pods, 'ssd2', 'default');
      return x.status?.conditions?.find((k) => k.type === 'PodScheduled')?.message?.includes("1 node(s) didn't have free ports for the requested pod ports");
    }, 'host port conflict', 10_000);
  });
});
