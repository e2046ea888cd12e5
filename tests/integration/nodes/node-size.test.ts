// A sandbox Machine's size on a real node: cpus and memoryMiB become the node cgroup's limits
// (cpu quota, memory limit) and the Node's capacity/allocatable, so the scheduler refuses a pod
// asking for more; and the node's CPU usage as `kubectl top` shows it matches a busy pod's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { R } from '../../../main/client/refs';
import { cpuMillisOrNaN } from '../../../main/api/quantity';
import { hierarchies } from '../../../main/nodes/providers/sandbox/cgroup';
import type { KObject, Machine } from '../../../main/api/types';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

const HELLO = 'docker.io/flotilla/hello:1';
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

/** The first of `files` that exists in one of the node cgroup's hierarchies, trimmed. */
function cgroupFile(cgroup: string, files: string[]): { file: string; value: string } | undefined {
  for (const h of hierarchies()) {
    for (const f of files) {
      const p = path.join(h, cgroup, f);
      if (fs.existsSync(p)) return { file: f, value: fs.readFileSync(p, 'utf8').trim() };
    }
  }
  return undefined;
}

/** Millicores from `kubectl top … --no-headers` output (second column, e.g. "998m"). */
function topMilli(out: string): number {
  const m = /^\S+\s+(\d+)m\s/m.exec(out);
  if (!m) throw new Error(`no CPU figure in: ${out}`);
  return Number(m[1]);
}

describe.skipIf(skipWithoutAgent)('sandbox node size (real node, real agent)', () => {
  const cfg = uniqueSandbox(4);
  let c: TestCluster;
  const logs: string[] = [];
  const name = 'size1';

  beforeAll(async () => {
    c = await startTestCluster({ nodes: { sandbox: cfg, log: (l) => logs.push(l), readyTimeoutMs: 90_000 } });
    await c.client.create<Machine & KObject>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider: 'sandbox', cpus: 1, memoryMiB: 1024, running: true } });
    await waitFor(async () => {
      const m = await c.client.get<Machine & KObject>(R.machines, name);
      if (m.status?.phase === 'Failed') throw new Error(`machine failed: ${m.status.message}`);
      const n = await c.client.get<Node & KObject>(R.nodes, name).catch(() => undefined);
      return m.status?.phase === 'Running' && n?.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
    }, `${name} Running and Ready`, 120_000);
  });

  afterAll(async () => {
    await stopClusterWithNodes(c, cfg, logs);
  });

  it('limits the node cgroup to the Machine\'s cpus and memoryMiB', () => {
    const cg = `${cfg.prefix}-${name}`;
    const quota = cgroupFile(cg, ['cpu.cfs_quota_us', 'cpu.max']);
    expect(quota).toBeDefined();
    if (quota!.file === 'cpu.max') expect(quota!.value).toBe('100000 100000');
    else expect(Number(quota!.value) / Number(cgroupFile(cg, ['cpu.cfs_period_us'])!.value)).toBe(1);
    expect(cgroupFile(cg, ['memory.limit_in_bytes', 'memory.max'])?.value).toBe(String(1024 * 2 ** 20));
  });

  it('reports the same size as the Node\'s capacity and allocatable, in the API and in kubectl describe node', async () => {
    const n = await c.client.get<Node & KObject>(R.nodes, name);
    // The agent reports memory in Ki as the kubelet does (1048576Ki); the API stores a Quantity's canonical form, as
    // kube-apiserver does: 1Gi, and 924Mi for the allocatable (less the 100Mi eviction threshold).
    expect(n.status?.capacity).toMatchObject({ cpu: '1', memory: '1Gi' });
    expect(n.status?.allocatable).toMatchObject({ cpu: '1', memory: `${1024 - 100}Mi` });
    const d = await c.kubectl(['describe', 'node', name]);
    expect(d.stderr).toBe('');
    const section = (title: string): string => d.stdout.slice(d.stdout.indexOf(`${title}:`)).split('\n').slice(1, 5).join('\n');
    expect(section('Capacity')).toMatch(/cpu:\s+1\n/);
    expect(section('Capacity')).toMatch(/memory:\s+1Gi\n/);
    expect(section('Allocatable')).toMatch(/cpu:\s+1\n/);
  });

  it('does not schedule a pod that asks for more CPU than the node has (FailedScheduling: Insufficient cpu)', async () => {
    await c.client.create<Pod & KObject>(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'too-big', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: HELLO, resources: { requests: { cpu: '2' } } }] },
    }, { namespace: 'default' });
    const ev = await waitFor(async () => (await c.client.list<Event & KObject>(EVENTS, { namespace: 'default' })).items
      .find((e) => e.involvedObject?.name === 'too-big' && e.reason === 'FailedScheduling'), 'FailedScheduling for too-big', 30_000);
    expect(ev.type).toBe('Warning');
    expect(ev.message).toMatch(/0\/1 nodes are available: 1 Insufficient cpu\./);
    const p = await c.client.get<Pod & KObject>(R.pods, 'too-big', 'default');
    expect(p.spec?.nodeName ?? '').toBe('');
    expect(p.status?.conditions?.find((x) => x.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    await c.client.delete(R.pods, 'too-big', { namespace: 'default' });
  });

  it('runs a pod whose CPU limit exceeds the node (the limit clamped to the node\'s quota, as on a 1-CPU VM)', async () => {
    await c.client.create<Pod & KObject>(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'wide', namespace: 'default' },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: HELLO, resources: { requests: { cpu: '100m' }, limits: { cpu: '2' } } }] },
    }, { namespace: 'default' });
    // Running means the container itself: runc failing to write the quota shows as a terminated StartError.
    const p = await waitFor(async () => {
      const x = await c.client.get<Pod & KObject>(R.pods, 'wide', 'default');
      const cs = x.status?.containerStatuses?.[0];
      const failed = cs?.state?.terminated ?? cs?.lastState?.terminated ?? (cs?.state?.waiting?.reason === 'CreateContainerError' ? cs.state.waiting : undefined);
      if (failed) throw new Error(`wide: ${failed.reason ?? ''}: ${failed.message ?? ''}`);
      return cs?.state?.running && cs.restartCount === 0 ? x : undefined;
    }, 'the container of pod wide running', 45_000);
    expect(p.spec?.nodeName).toBe(name);
    await c.client.delete(R.pods, 'wide', { namespace: 'default' });
  });

  it('reports the node\'s CPU as a busy pod uses it: about one core, not a thousand', async () => {
    await c.client.create<Pod & KObject>(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'busy', namespace: 'default' },
      spec: { nodeName: name, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'while :; do :; done'] }] },
    }, { namespace: 'default' });
    // Both figures from the same scrape (metrics.k8s.io's NodeMetrics and PodMetrics with one timestamp, read with the
    // real kubectl): the pod spinning (≥ 200m: a loaded 2-core CI machine leaves it well under its core), the node at
    // its 1-CPU quota. Two `kubectl top` calls could straddle a
    // scrape round: the node's figure from the round before the pod spun up, the pod's from the next.
    type Usage = { timestamp?: string; usage?: { cpu?: string }; containers?: Array<{ usage?: { cpu?: string } }> };
    const raw = async (p: string): Promise<Usage | undefined> => {
      const r = await c.kubectl(['get', '--raw', p]);
      return r.code === 0 ? JSON.parse(r.stdout) as Usage : undefined;
    };
    const { node, pod } = await waitFor(async () => {
      const nm = await raw(`/apis/metrics.k8s.io/v1beta1/nodes/${name}`);
      const pm = await raw('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy');
      if (!nm?.timestamp || nm.timestamp !== pm?.timestamp) return undefined;
      const fig = { node: cpuMillisOrNaN(nm.usage?.cpu ?? ''), pod: (pm.containers ?? []).reduce((n, x) => n + cpuMillisOrNaN(x.usage?.cpu ?? ''), 0) };
      return fig.pod >= 200 ? fig : undefined;
    }, 'metrics of one scrape to show the busy pod', 90_000, 1000);
    const top = await c.kubectl(['top', 'node', name, '--no-headers']);
    expect(topMilli(top.stdout)).toBeLessThanOrEqual(1300);
    if (process.env.FLOTILLA_TEST_LOGS) console.log(`metrics: node ${node}m, busy pod ${pod}m`);
    // The node's figure holds the pod's and its own processes' (agent, containerd, shim: 100–200m under a loaded CI
    // machine, when the pod itself may get well under a core), and the 1-CPU quota caps it.
    expect(node).toBeGreaterThanOrEqual(Math.floor(pod * 0.7));
    expect(node).toBeLessThanOrEqual(1300); // one core of quota: ≈ 1000m ± 30 %
    await c.client.delete(R.pods, 'busy', { namespace: 'default' });
  }, 120_000);
});
