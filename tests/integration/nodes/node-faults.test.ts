// One-click failures on two real sandbox nodes (containerd, runc, the real agent, real kubectl), with short node-lifecycle
// timings (grace 4 s, tolerations 5 s), through the bridge: cutting node A's network from the control plane marks it
// NotReady (Unknown), taints it unreachable, evicts its pods after the toleration and the Deployment's pods run on node B;
// the heal brings A back Ready, untainted and cleaned (the evicted pods stopped there, no rule left). Killing a pod's
// container restarts it at once, a second kill shows the kubelet's back-off (CrashLoopBackOff, BackOff event). Failing a
// pod's readiness probe makes it NotReady (the kubelet's Unhealthy events), its EndpointSlice endpoint not ready and the
// node's kube-proxy rules without it; the pod's heal brings all three back. Filling a node's disk (its own ext4 image of the
// Machine's size) reports DiskPressure and taints it so a new pod stays Pending; the heal schedules it there.
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { bridgeDepsOf, createBridgeSession, type BridgeSession } from '../../../main/bridge/handlers';
import { NODE } from '../../../main/nodes/node-paths';
import { diskImagePath } from '../../../main/nodes/providers/sandbox/disk';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox, waitForReadyNodes } from './support';

const HELLO = 'docker.io/flotilla/hello:1';
const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{ name: app, image: ${HELLO} }]
`;

describe.skipIf(skipWithoutAgent)('one-click failures on two sandbox nodes', () => {
  const cfg = uniqueSandbox(17);
  const logs: string[] = [];
  let c: TestCluster;
  let bridge: BridgeSession;
  let nodeA = '';
  let nodeB = '';

  const call = async <T>(name: string, req: unknown): Promise<T> => {
    const r = await bridge.call(name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const node = (name: string) => c.client.get<Node & KObject>(R.nodes, name);
  const ready = (n: Node) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
  const webPods = async () => (await c.client.list<Pod & KObject>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items;
  const running = (p: Pod) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;
  /** The tasks containerd runs on a node (pause sandboxes included). */
  const tasks = (name: string): string[] => {
    const socket = hostPathOf(c.core.dataDir, name, NODE.containerdSocket) ?? '';
    return execFileSync('ctr', ['--address', socket, '-n', 'k8s.io', 'tasks', 'ls', '-q'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  };
  const chains = (name: string): string[] => execFileSync('ip', ['netns', 'exec', `${cfg.prefix}-${name}`, 'iptables-save', '-t', 'filter'], { encoding: 'utf8' })
    .split('\n').filter((l) => l.includes('FLOTILLA-CUT'));

  beforeAll(async () => {
    c = await startTestCluster({
      nodes: { sandbox: cfg, nodes: 2, provider: 'sandbox', readyTimeoutMs: 90_000, log: (l) => logs.push(l) },
      nodeLifecycle: { nodeMonitorGracePeriodSeconds: 4, notReadyTolerationSeconds: 5, unreachableTolerationSeconds: 5 },
    });
    [nodeA, nodeB] = await waitForReadyNodes(c, 2, logs, 120_000);
    bridge = createBridgeSession(bridgeDepsOf(c.core), () => undefined);
  }, 300_000);

  afterAll(async () => {
    bridge?.dispose();
    if (c) await stopClusterWithNodes(c, cfg, logs);
  }, 120_000);

  it('shows the timings in force and refuses bad input', async () => {
    expect(await call('nodeLifecycleSettings', null)).toEqual({ nodeMonitorGracePeriodSeconds: 4, notReadyTolerationSeconds: 5, unreachableTolerationSeconds: 5 });
    expect(await call('nodeFaults', { node: nodeA })).toEqual({ node: nodeA, supported: true, active: [] });
    const bad = await bridge.call('injectNodeFault', { node: nodeA, fault: 'melt' });
    expect(bad).toMatchObject({ ok: false, error: { code: 400, message: expect.stringContaining('fault must be one of stop-agent') as unknown } });
    const unknown = await bridge.call('injectNodeFault', { node: 'no-such-node', fault: 'kill-node' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 409, message: expect.stringContaining('not one of this Flotilla\'s sandbox nodes') as unknown } });
  });

  it('cut from the control plane: NotReady, pods evicted after the toleration and rescheduled; heal brings the node back cleaned', async () => {
    // Both replicas on node A: B cordoned while they are placed.
    await c.kubectlOk(['cordon', nodeB]);
    await c.kubectlOk(['apply', '-f', '-'], { input: APP });
    const first = await waitFor(async () => { const p = (await webPods()).filter(running); return p.length === 2 ? p : undefined; }, 'two web pods Running on A', 60_000, 200);
    expect(first.map((p) => p.spec?.nodeName)).toEqual([nodeA, nodeA]);
    expect(first[0]?.spec?.tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 });
    await c.kubectlOk(['uncordon', nodeB]);

    const cutAt = Date.now();
    expect(await call('injectNodeFault', { node: nodeA, fault: 'cut-control-plane' })).toMatchObject({ active: ['cut-control-plane'] });
    expect(chains(nodeA).length).toBeGreaterThan(0);
    const unknown = await waitFor(async () => { const n = await node(nodeA); return ready(n) === 'Unknown' ? n : undefined; }, 'node A Unknown', 30_000, 200);
    const notReadyAfter = Date.now() - cutAt;
    expect(notReadyAfter).toBeGreaterThanOrEqual(3000); // the grace period (4 s), less the last renewal's age
    expect(ready(unknown)).toBe('Unknown');
    // The NoSchedule taint follows the condition in a write of its own (the controller's tainting pass), as in Kubernetes.
    await waitFor(async () => (await node(nodeA)).spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'),
      'unreachable NoSchedule taint', 10_000, 200);
    const tainted = await waitFor(async () => (await node(nodeA)).spec?.taints?.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'), 'NoExecute taint', 10_000, 200);
    // Evicted after the toleration (5 s from the taint), and replaced on B.
    const evicted = await waitFor(async () => { const p = (await webPods()).filter((x) => x.metadata?.deletionTimestamp); return p.length === 2 ? p : undefined; }, 'both pods evicted', 30_000, 200);
    expect(Date.parse(evicted[0]?.metadata?.deletionTimestamp ?? '') - Date.parse(tainted.timeAdded ?? '')).toBeGreaterThanOrEqual(4000);
    expect(evicted[0]?.status?.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    await waitFor(async () => (await webPods()).filter((p) => running(p) && p.spec?.nodeName === nodeB).length === 2, 'two web pods Running on B', 60_000, 200);
    const events = (await c.client.list<KObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(R.events, { namespace: 'default' })).items;
    expect(events.find((e) => e.reason === 'FlotillaFault' && e.involvedObject?.name === nodeA)?.message).toContain('Cut network from control plane');

    expect(await call('healNode', { node: nodeA })).toMatchObject({ active: [] });
    expect(chains(nodeA)).toEqual([]);
    await waitFor(async () => ready(await node(nodeA)) === 'True', 'node A Ready again', 60_000, 200);
    await waitFor(async () => !(await node(nodeA)).spec?.taints?.length, 'node A untainted', 20_000, 200);
    // The evicted pods are stopped on A and confirmed gone; only B's two run, and A runs nothing.
    await waitFor(async () => (await webPods()).length === 2, 'the evicted pods deleted', 60_000, 200);
    expect((await webPods()).map((p) => `${p.spec?.nodeName ?? ''} ${p.status?.phase ?? ''} ${p.metadata?.deletionTimestamp ?? ''}`)).toEqual([`${nodeB} Running `, `${nodeB} Running `]);
    await waitFor(() => tasks(nodeA).length === 0, 'no task left on node A', 30_000, 200);
    await c.kubectlOk(['delete', 'deployment', 'web', '--wait=false']);
  }, 240_000);

  it('kill a container: restarted at once, then with back-off', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `
apiVersion: v1
kind: Pod
metadata: { name: crashy, namespace: default }
spec:
  nodeName: ${nodeB}
  terminationGracePeriodSeconds: 1
  containers: [{ name: app, image: ${HELLO} }]
` });
    const get = () => c.client.get<Pod & KObject>(R.pods, 'crashy', 'default');
    const runningWith = async (restarts: number) => {
      const cs = (await get()).status?.containerStatuses?.[0];
      return cs?.restartCount === restarts && !!cs.state?.running;
    };
    await waitFor(() => runningWith(0), 'crashy running', 60_000, 200);
    await call('injectPodFault', { namespace: 'default', name: 'crashy', fault: 'kill-container' });
    await waitFor(() => runningWith(1), 'restarted once', 30_000, 200);
    const killedAt = Date.now();
    await call('injectPodFault', { namespace: 'default', name: 'crashy', fault: 'kill-container' });
    const waiting = await waitFor(async () => (await get()).status?.containerStatuses?.[0]?.state?.waiting, 'CrashLoopBackOff', 20_000, 100);
    expect(waiting).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 10s restarting failed container=app pod=crashy_default/) as unknown });
    await waitFor(() => runningWith(2), 'restarted after the back-off', 30_000, 200);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(9000);
    const reasons = (await c.client.list<KObject & { reason?: string; involvedObject?: { name?: string } }>(R.events, { namespace: 'default' })).items
      .filter((e) => e.involvedObject?.name === 'crashy').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['FlotillaFault', 'BackOff']));
  }, 120_000);

  it('fail a readiness probe: NotReady, out of the endpoints and kube-proxy rules; heal brings it back', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `
apiVersion: v1
kind: Service
metadata: { name: probed, namespace: default }
spec: { selector: { app: probed }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: probed, namespace: default, labels: { app: probed } }
spec:
  nodeName: ${nodeB}
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${HELLO}
    readinessProbe: { httpGet: { port: 8080, path: / }, periodSeconds: 1, failureThreshold: 2 }
` });
    const get = () => c.client.get<Pod & KObject>(R.pods, 'probed', 'default');
    const podReady = async () => (await get()).status?.conditions?.find((x) => x.type === 'Ready')?.status;
    type Slice = KObject & { endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> };
    const sliceReady = async (ip: string) => (await c.client.list<Slice>(R.endpointslices, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=probed' }))
      .items.flatMap((s) => s.endpoints ?? []).find((e) => e.addresses.includes(ip))?.conditions?.ready;
    const dnat = (ip: string) => execFileSync('ip', ['netns', 'exec', `${cfg.prefix}-${nodeB}`, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' })
      .split('\n').some((l) => l.includes(`--to-destination ${ip}:8080`));
    await waitFor(async () => (await podReady()) === 'True', 'probed Ready', 60_000, 200);
    const ip = (await get()).status?.podIP ?? '';
    await waitFor(async () => (await sliceReady(ip)) === true, 'endpoint ready in the slice', 30_000, 200);
    await waitFor(() => dnat(ip), 'kube-proxy rule to the pod', 30_000, 200);

    // Refusals: a pod without a readiness probe (crashy, of the test before), a container that does not exist, an unknown pod.
    const none = await bridge.call('injectPodFault', { namespace: 'default', name: 'crashy', fault: 'fail-readiness' });
    expect(none).toMatchObject({ ok: false, error: { code: 409, message: expect.stringContaining('has no container with a readiness probe') as unknown } });
    const nosuch = await bridge.call('injectPodFault', { namespace: 'default', name: 'probed', fault: 'fail-readiness', container: 'nope' });
    expect(nosuch).toMatchObject({ ok: false, error: { code: 404, message: expect.stringContaining('has no container nope') as unknown } });
    const gone = await bridge.call('injectPodFault', { namespace: 'default', name: 'no-such-pod', fault: 'fail-readiness' });
    expect(gone).toMatchObject({ ok: false, error: { code: 404, message: 'pod default/no-such-pod not found' } });

    await call('injectPodFault', { namespace: 'default', name: 'probed', fault: 'fail-readiness' });
    expect(await call('podFaults', { namespace: 'default', name: 'probed' })).toEqual({ namespace: 'default', name: 'probed', active: [{ fault: 'fail-readiness', container: 'app' }] });
    await waitFor(async () => (await podReady()) === 'False', 'probed NotReady', 30_000, 200);
    expect((await get()).status?.containerStatuses?.[0]).toMatchObject({ ready: false, restartCount: 0 });
    await waitFor(async () => (await sliceReady(ip)) === false, 'endpoint not ready in the slice', 30_000, 200);
    await waitFor(() => !dnat(ip), 'kube-proxy rule to the pod removed', 30_000, 200);
    type Ev = KObject & { type?: string; reason?: string; message?: string; involvedObject?: { name?: string; fieldPath?: string } };
    const events = async () => (await c.client.list<Ev>(R.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.name === 'probed');
    // A probe may also have failed for real while the app was starting (connection refused): the fault's own event is sought.
    const unhealthy = await waitFor(async () => (await events()).find((e) => e.reason === 'Unhealthy' && /failed on purpose/.test(e.message ?? '')),
      'the fault\'s Unhealthy event', 30_000, 200);
    expect(unhealthy).toMatchObject({ type: 'Warning', message: expect.stringMatching(/^Readiness probe failed: failed on purpose by a Flotilla/) as unknown,
      involvedObject: { fieldPath: 'spec.containers{app}' } });

    expect(await call('healPod', { namespace: 'default', name: 'probed' })).toEqual({ namespace: 'default', name: 'probed', active: [] });
    await waitFor(async () => (await podReady()) === 'True', 'probed Ready again', 30_000, 200);
    await waitFor(async () => (await sliceReady(ip)) === true, 'endpoint ready again', 30_000, 200);
    await waitFor(() => dnat(ip), 'kube-proxy rule back', 30_000, 200);
    await waitFor(async () => { const r = (await events()).map((e) => e.reason); return r.includes('FlotillaFault') && r.includes('FlotillaFaultHealed'); }, 'the fault\'s and the heal\'s events', 30_000, 200);
    await c.kubectlOk(['delete', 'pod', 'probed', 'crashy', '--wait=false']);
    await c.kubectlOk(['delete', 'service', 'probed']);
  }, 120_000);

  it('kubectl get --raw through nodes/proxy: the agent\'s /metrics, /healthz, /pods, /metrics/resource and /metrics/cadvisor, the kubelet\'s 404, RBAC on nodes/proxy', async () => {
    const metrics = await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/metrics`]);
    expect(metrics).toMatch(/^# HELP kubelet_/m);
    expect(metrics).toContain(`kubelet_node_name{node="${nodeB}"} 1`);
    expect(metrics).toMatch(/^kubelet_running_pods \d+$/m);
    expect(await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeA}/proxy/healthz`])).toBe('ok');
    const pods = JSON.parse(await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/pods`])) as { kind: string; items: Pod[] };
    expect(pods.kind).toBe('PodList');
    expect(pods.items.every((p) => p.spec?.nodeName === nodeB)).toBe(true);
    expect(await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/metrics/resource`])).toMatch(/^node_cpu_usage_seconds_total [\d.e+]+ \d{13}$/m);
    // cAdvisor's page of a real node: its own cgroup as the root, every running pod's containers under their pod's cgroup.
    const cadvisor = await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/metrics/cadvisor`]);
    expect(cadvisor).toMatch(/^container_cpu_usage_seconds_total\{container="",cpu="total",id="\/",image="",name="",namespace="",pod=""\} [\d.e+]+ \d{13}$/m);
    const steady = pods.items.filter((x) => x.status?.phase === 'Running' && !x.spec?.hostNetwork && !x.metadata?.deletionTimestamp
      && (x.status.containerStatuses ?? []).every((cs) => cs.ready && cs.state?.running));
    for (const p of steady) {
      const container = p.spec?.containers[0]?.name ?? '';
      expect(cadvisor, `${p.metadata?.name ?? ''}'s container`).toMatch(new RegExp(`^container_memory_working_set_bytes\\{container="${container}",id="/pod${p.metadata?.uid ?? ''}/[0-9a-f]{64}",.*pod="${p.metadata?.name ?? ''}"\\} [\\d.e+]+ \\d{13}$`, 'm'));
      expect(cadvisor, `${p.metadata?.name ?? ''}'s network`).toMatch(new RegExp(`^container_network_receive_bytes_total\\{container="",id="/pod${p.metadata?.uid ?? ''}/[0-9a-f]{64}",image="[^"]+",interface="eth0",.*pod="${p.metadata?.name ?? ''}"\\} \\d+ \\d{13}$`, 'm'));
    }
    const other = await c.kubectl(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/runningpods/`]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('NotFound');
    const missing = await c.kubectl(['get', '--raw', '/api/v1/nodes/no-such-node/proxy/metrics']);
    expect(missing.stderr).toContain('nodes "no-such-node" not found');
    // RBAC checks the subresource: get on nodes/proxy, not on nodes.
    const denied = await c.kubectl(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/metrics`, '--as=scraper']);
    expect(denied.stderr).toContain(`nodes "${nodeB}" is forbidden: User "scraper" cannot get resource "nodes/proxy" in API group "" at the cluster scope`);
    await c.kubectlOk(['create', 'clusterrole', 'node-scraper', '--verb=get', '--resource=nodes/proxy']);
    await c.kubectlOk(['create', 'clusterrolebinding', 'node-scraper', '--clusterrole=node-scraper', '--user=scraper']);
    expect(await c.kubectlOk(['get', '--raw', `/api/v1/nodes/${nodeB}/proxy/metrics`, '--as=scraper'])).toContain('kubelet_node_name');
    const nodesOnly = await c.kubectl(['get', 'nodes', '--as=scraper']);
    expect(nodesOnly.stderr).toContain('cannot list resource "nodes"');
  });

  it('fill the disk: the node has its own disk of the Machine\'s size; DiskPressure, a disk-pressure taint keeps a new pod Pending; heal schedules it', async () => {
    const machine = await c.client.get<KObject & { spec?: { diskGiB?: number } }>(R.machines, nodeA);
    const diskGiB = machine.spec?.diskGiB ?? 0;
    expect(diskGiB).toBeGreaterThanOrEqual(5);
    // The node's nodefs is its own ext4 disk of the Machine's size (a little less after the filesystem's metadata).
    const capacity = Number(((await node(nodeA)).status?.capacity?.['ephemeral-storage'] ?? '0').replace(/Ki$/, '')) * 1024;
    expect(capacity).toBeGreaterThan(diskGiB * 2 ** 30 * 0.95);
    expect(capacity).toBeLessThanOrEqual(diskGiB * 2 ** 30);
    const image = diskImagePath(c.core.dataDir, nodeA);
    const pressure = async () => (await node(nodeA)).status?.conditions?.find((x) => x.type === 'DiskPressure');
    const taints = async () => ((await node(nodeA)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
    expect((await pressure())?.status).toBe('False');

    await call('injectNodeFault', { node: nodeA, fault: 'fill-disk' });
    // The fill is preallocated space on the node's disk: the sparse image on the host grows by little (metadata).
    expect(fs.statSync(image).blocks * 512).toBeLessThan(2 ** 30);
    await waitFor(async () => (await pressure())?.status === 'True', 'DiskPressure=True on the filled node', 60_000, 250);
    expect(await pressure()).toMatchObject({ reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
    await waitFor(async () => (await taints()).includes('node.kubernetes.io/disk-pressure:NoSchedule'), 'the disk-pressure taint', 30_000, 250);
    await c.kubectlOk(['run', 'after-fill', `--image=${HELLO}`, `--overrides={"spec":{"nodeSelector":{"kubernetes.io/hostname":"${nodeA}"},"terminationGracePeriodSeconds":1}}`]);
    const pod = () => c.client.get<Pod & KObject>(R.pods, 'after-fill', 'default');
    await waitFor(async () => (await pod()).status?.conditions?.find((x) => x.type === 'PodScheduled')?.reason === 'Unschedulable', 'after-fill Unschedulable', 30_000, 250);
    expect((await pod()).status?.conditions?.find((x) => x.type === 'PodScheduled')?.message)
      .toContain('1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }');

    expect(await call('healNode', { node: nodeA })).toMatchObject({ node: nodeA, active: [] });
    await waitFor(async () => (await pressure())?.status === 'False', 'DiskPressure=False after the heal', 60_000, 250);
    await waitFor(async () => !(await taints()).includes('node.kubernetes.io/disk-pressure:NoSchedule'), 'the taint removed', 30_000, 250);
    await waitFor(async () => running(await pod()), 'after-fill Running on the healed node', 60_000, 250);
    expect((await pod()).spec?.nodeName).toBe(nodeA);
    await c.kubectlOk(['delete', 'pod', 'after-fill', '--wait=false']);
  }, 180_000);
});
