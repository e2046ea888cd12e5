// The agent in-process against a real API server and a real containerd inside a node network
// namespace: registration, lease, status, pods through the API, probes, deletion, restart, services.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Event, Lease, Node, Pod, Service } from '../../../main/api/types';
import { isConflict, isNotFound } from '../../../main/client/types';
import { attachPodStreams } from '../../../main/apiserver/streams';
import { NodeMetricsStore, statsFetcher } from '../../../main/nodes/metrics';
import type { Agent } from '../../../vm-images/agent/agent';
import { LABEL_MANAGED } from '../../../vm-images/agent/pods/labels';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { parsePromText } from '../../../main/protocol/prom-text';
import { PromIndex } from '../../../main/bridge/arch/prom-index';
import { HELLO, httpFromNode, newTestAgent, NODES, PODS, podSpecOf, startTestAgent, startTestNode, type TestNode } from './support';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };
const SERVICES = { group: '', version: 'v1', plural: 'services', namespaced: true };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const SECRETS = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

describe.skipIf(skipUnlessRoot)('agent in-process', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  const logs: string[] = [];

  // The image tarballs no pod asked for go in 1 s after the sandbox image's (10 s by default).
  const AGENT_OPTIONS = { statsIntervalMs: 500, statusHeartbeatMs: 60_000, imagesRestAfterMs: 1000 };
  const newAgent = (): Agent => newTestAgent(node, logs, AGENT_OPTIONS);

  beforeAll(async () => {
    cluster = await startTestCluster();
    node = await startTestNode(cluster);
    agent = await startTestAgent(cluster, node, logs, AGENT_OPTIONS);
  });

  afterAll(async () => {
    await agent?.stop();
    await node?.teardown();
    await cluster?.stop();
    if (logs.length) console.log(logs.slice(-40).join('\n'));
  });

  const getPod = (name: string): Promise<Pod> => cluster.client.get<Pod>(PODS, name, 'default');
  const waitPod = (name: string, what: string, pred: (p: Pod) => boolean, timeoutMs = 20_000): Promise<Pod> =>
    waitFor(async () => { const p = await getPod(name); return pred(p) ? p : undefined; }, `${name}: ${what}`, timeoutMs);
  const createPod = (name: string, spec: Partial<NonNullable<Pod['spec']>>): Promise<Pod> =>
    cluster.client.create<Pod>(PODS, podSpecOf(name, node.name, spec));

  it('registers the Node, turns it Ready with capacity, nodeInfo, addresses, labels and images', async () => {
    const n = await waitFor(async () => {
      const got = await cluster.client.get<Node>(NODES, node.name);
      return got.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? got : undefined;
    }, 'node Ready');
    const st = n.status!;
    expect(st.addresses).toEqual([{ type: 'InternalIP', address: node.nodeIP }, { type: 'Hostname', address: node.name }]);
    expect(st.capacity).toMatchObject({ pods: '110' });
    expect(Number(st.capacity?.cpu)).toBeGreaterThan(0);
    expect(st.capacity?.memory).toMatch(/^\d+Ki$/);
    expect(st.capacity?.['ephemeral-storage']).toMatch(/^\d+Ki$/);
    expect(st.allocatable).toMatchObject({ pods: '110', cpu: st.capacity?.cpu });
    expect(st.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-flotilla', operatingSystem: 'linux', architecture: expect.stringMatching(/^(amd64|arm64)$/) as unknown });
    expect(st.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.6\./);
    expect(st.nodeInfo?.kernelVersion).toBeTruthy();
    expect(st.nodeInfo?.osImage).toBeTruthy();
    expect(n.metadata?.labels).toMatchObject({
      'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'flotilla.dev/provider': 'test',
      'kubernetes.io/arch': st.nodeInfo?.architecture,
    });
    // Ready comes once the sandbox image is in; the other images are reported as soon as they are in too (after their wait).
    await waitFor(async () => (await cluster.client.get<Node>(NODES, node.name)).status?.images?.some((i) => i.names?.includes(HELLO)), 'hello in status.images', 10_000);
    expect(st.daemonEndpoints?.kubeletEndpoint?.Port).toBe(agent.serverPort);
    expect(agent.serverPort).toBeGreaterThan(0);
    const ready = st.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(st.conditions?.find((c) => c.type === 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
    expect(st.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasNoDiskPressure' });
    expect(st.conditions?.find((c) => c.type === 'PIDPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientPID' });
    expect(st.conditions?.find((c) => c.type === 'NetworkUnavailable')).toMatchObject({ status: 'False' });
    expect(readFileSync(join(node.config.cniConfDir, '10-flotilla.conflist'), 'utf8')).toContain(node.podCIDR);
    const get = await cluster.kubectl(['get', 'nodes', '-o', 'wide']);
    expect(get.stdout).toMatch(new RegExp(`${node.name}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.0-flotilla\\s+${node.nodeIP.replace(/\./g, '\\.')}`));
    const describe = await cluster.kubectl(['describe', 'node', node.name]);
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/);
    expect(describe.stdout).toContain(`PodCIDR:                      ${node.podCIDR}`);
  });

  it('renews its Lease', async () => {
    const first = await waitFor(() => cluster.client.get<Lease>(LEASES, node.name, 'kube-node-lease'), 'lease');
    expect(first.spec).toMatchObject({ holderIdentity: node.name, leaseDurationSeconds: 40 });
    expect(first.spec?.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(first.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: node.name });
    await waitFor(async () => {
      const l = await cluster.client.get<Lease>(LEASES, node.name, 'kube-node-lease');
      return l.spec?.renewTime !== first.spec?.renewTime;
    }, 'lease renewed', 5000);
  });

  it('puts its conditions back when someone else overwrote them (e.g. Unknown from the node lifecycle controller)', async () => {
    // Read-modify-write as the lifecycle controller does: the agent may write in between (409), then read again.
    await waitFor(async () => {
      const n = await cluster.client.get<Node>(NODES, node.name);
      const unknown = (n.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c));
      try {
        await cluster.client.update<Node>(NODES, { ...n, status: { ...n.status, conditions: unknown } }, { subresource: 'status' });
        return true;
      } catch (e) {
        if (isConflict(e)) return false;
        throw e;
      }
    }, 'the Ready condition overwritten with Unknown', 10_000);
    // Well before the 60 s heartbeat: the reporter compares with what the API holds.
    await waitFor(async () => (await cluster.client.get<Node>(NODES, node.name)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 'Ready again', 10_000);
  });

  it('runs a pod bound to the node: Running with a podIP, answers HTTP, shows in kubectl get -o wide', async () => {
    await createPod('web', { containers: [{ name: 'web', image: HELLO, ports: [{ containerPort: 8080 }] }] });
    const p = await waitPod('web', 'Running with podIP', (x) => x.status?.phase === 'Running' && !!x.status.podIP && x.status.containerStatuses?.[0]?.ready === true);
    expect(p.status?.podIP?.startsWith(node.podCIDR.split('.').slice(0, 3).join('.'))).toBe(true);
    expect(p.status?.hostIP).toBe(node.nodeIP);
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const body = await waitFor(async () => { const b = await httpFromNode(node, p.status!.podIP!, 8080); return b.startsWith('Hello') ? b : undefined; }, 'HTTP answer', 10_000);
    expect(body).toContain(`(${p.status?.podIP})`);
    const events = await waitFor(async () => {
      const list = await cluster.client.list<Event>(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.name=web' });
      return list.items.some((e) => e.reason === 'Started') ? list.items : undefined;
    }, 'kubelet events');
    expect(events.find((e) => e.reason === 'Started')).toMatchObject({
      type: 'Normal', source: { component: 'kubelet', host: node.name }, involvedObject: { kind: 'Pod', name: 'web', uid: p.metadata?.uid, fieldPath: 'spec.containers{web}' },
    });
    const describe = await cluster.kubectl(['describe', 'pod', 'web']);
    expect(describe.stdout).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container web/);
    const wide = await cluster.kubectl(['get', 'pods', '-o', 'wide']);
    expect(wide.stdout).toMatch(new RegExp(`web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${p.status!.podIP!.replace(/\./g, '\\.')}\\s+${node.name}`));
  });

  it('serves kubectl logs through the agent\'s server (control plane stream backend dialling it)', async () => {
    const detach = attachPodStreams(cluster.core, { dial: async () => net.connect(agent.serverPort, '127.0.0.1'), serverToken: () => node.config.serverToken });
    try {
      const logsOut = await waitFor(async () => { const r = await cluster.kubectl(['logs', 'web']); return r.stdout.includes('listening on :8080') ? r.stdout : undefined; }, 'kubectl logs');
      expect(logsOut).toMatch(/GET \/ 200/); // the request the earlier test made
      // (exec needs containerd's streaming server, which listens inside the node's namespace: bundle.test.ts covers it.)
    } finally {
      detach();
    }
  });

  it('reports a crashing container as CrashLoopBackOff through the API', async () => {
    await createPod('crash', { containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'echo bye; exit 3'] }] });
    const p = await waitPod('crash', 'CrashLoopBackOff', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 30_000);
    const cs = p.status!.containerStatuses![0];
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cs.state?.waiting?.message).toMatch(/^back-off \d+m?s restarting failed container=c pod=crash_default/);
    // kubectl shows the current state: Error while a restart runs and exits, CrashLoopBackOff while it waits.
    await waitFor(async () => /crash\s+0\/1\s+CrashLoopBackOff/.test((await cluster.kubectl(['get', 'pod', 'crash'])).stdout), 'kubectl get to show CrashLoopBackOff', 30_000);
    // Repeats fold into one Event with a count, as the kubelet's recorder does.
    const started = await waitFor(async () => {
      const list = await cluster.client.list<Event>(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.name=crash' });
      const s = list.items.filter((e) => e.reason === 'Started');
      return s.length === 1 && (s[0]?.count ?? 0) >= 2 ? s : undefined;
    }, 'aggregated Started events');
    expect(started[0]?.message).toBe('Started container c');
  });

  it('restarts a container whose liveness probe fails (restartCount grows)', async () => {
    await createPod('live', { containers: [{
      name: 'c', image: HELLO, command: ['sh', '-c', 'sleep 1000'],
      livenessProbe: { exec: { command: ['cat', '/no-such-file'] }, periodSeconds: 1, failureThreshold: 1, initialDelaySeconds: 0 },
    }] });
    const p = await waitPod('live', 'restarted by liveness', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 30_000);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toBeTruthy();
  });

  it('flips the Ready condition with the readiness probe', async () => {
    await createPod('ready', { containers: [{
      name: 'c', image: HELLO, command: ['sh', '-c', 'sleep 1000'],
      readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1 },
    }] });
    const notReady = await waitPod('ready', 'Running, not Ready', (x) => x.status?.phase === 'Running' && !!x.status.containerStatuses?.[0]?.state?.running);
    expect(notReady.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const id = notReady.status!.containerStatuses![0].containerID!.replace('containerd://', '');
    await node.cri.execSync(id, ['sh', '-c', 'echo > /tmp/ready'], 5);
    await waitPod('ready', 'Ready', (x) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 10_000);
    await node.cri.execSync(id, ['rm', '/tmp/ready'], 5);
    const again = await waitPod('ready', 'not Ready again', (x) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 10_000);
    expect(again.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'ContainersNotReady' });
  });

  it('resolves env from ConfigMaps and Secrets through the API; a missing one is CreateContainerConfigError', async () => {
    await cluster.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greet', namespace: 'default' }, data: { GREETING: 'ahoy' } });
    await cluster.client.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pw', namespace: 'default' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    await createPod('env', { restartPolicy: 'Never', containers: [{
      name: 'c', image: HELLO, command: ['sh', '-c', 'echo "greeting=$GREETING password=$PASSWORD"'],
      env: [
        { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'greet', key: 'GREETING' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'pw', key: 'password' } } },
      ],
    }] });
    const p = await waitPod('env', 'Succeeded', (x) => x.status?.phase === 'Succeeded');
    const log = readFileSync(join(node.config.logDir, `default_env_${p.metadata!.uid!}`, 'c', '0.log'), 'utf8');
    expect(log).toContain('greeting=ahoy password=s3cret');
    await createPod('env-missing', { containers: [{
      name: 'c', image: HELLO, env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }],
    }] });
    const missing = await waitPod('env-missing', 'CreateContainerConfigError', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    expect(missing.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe('configmap "absent" not found');
  });

  it('pulls an unknown image: ErrImagePull / ImagePullBackOff with the reason through the API', async () => {
    await createPod('nope', { containers: [{ name: 'c', image: '127.0.0.1:1/flotilla/nope:1' }] });
    const p = await waitPod('nope', 'image pull failure', (x) => ['ErrImagePull', 'ImagePullBackOff'].includes(x.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''), 30_000);
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/127\.0\.0\.1:1\/flotilla\/nope:1.*(connection refused|connect)/s);
    await waitPod('nope', 'ImagePullBackOff', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff', 30_000);
  });

  it('reads a pod\'s image pull secrets with the node\'s credentials (the node authorizer\'s graph); only a missing one is reported', async () => {
    await cluster.client.create(SECRETS, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { '127.0.0.1:1': { auth: Buffer.from('u:p').toString('base64') } } })).toString('base64') },
    });
    await createPod('pullsecret', { imagePullSecrets: [{ name: 'regcred' }, { name: 'ghost' }], containers: [{ name: 'c', image: '127.0.0.1:1/flotilla/nope:2' }] });
    await waitPod('pullsecret', 'image pull failure', (x) => ['ErrImagePull', 'ImagePullBackOff'].includes(x.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? ''), 30_000);
    const events = await cluster.client.list<Event>(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.name=pullsecret' });
    const failed = events.items.filter((e) => e.reason === 'FailedToRetrieveImagePullSecret').map((e) => e.message);
    expect(failed[0]).toBe('Unable to retrieve some image pull secrets (ghost); attempting to pull the image may not succeed.');
  });

  it('makes a ClusterIP service reachable from the node', async () => {
    const web = await getPod('web');
    const svc = await cluster.client.create<Service>(SERVICES, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    const clusterIP = svc.spec?.clusterIP ?? '';
    expect(clusterIP).toMatch(/^10\.96\./);
    // The endpointslice controller may not be running in this cluster: write the slice by hand if needed.
    const slices = await cluster.client.list<EndpointSlice>(SLICES, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' });
    if (slices.items.length === 0) {
      await cluster.client.create<EndpointSlice>(SLICES, {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { name: 'web-manual', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: [web.status!.podIP!], conditions: { ready: true }, nodeName: node.name }],
      });
    }
    const body = await waitFor(async () => { const b = await httpFromNode(node, clusterIP, 80); return b.startsWith('Hello') ? b : undefined; }, 'service answer', 15_000)
      .catch(async (err: unknown) => { console.log((await node.exec(['iptables-save'])).stdout, JSON.stringify(await cluster.client.list(SLICES, {}))); throw err; });
    expect(body).toContain(web.status!.podIP!);
  });

  it('routes to other nodes\' podCIDRs via their InternalIP (host-gw), and withdraws them when a node goes', async () => {
    const other = `other-${node.name}`;
    await cluster.client.create<Node>(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: other }, spec: { podCIDR: '10.244.200.0/24', podCIDRs: ['10.244.200.0/24'] } });
    // A patch, not a read-modify-write: controllers (IPAM, lifecycle) may write the new node meanwhile.
    await cluster.client.patch<Node>(NODES, other, { status: { addresses: [{ type: 'InternalIP', address: '10.251.0.3' }] } }, 'merge', { subresource: 'status' });
    const routes = async (): Promise<string> => (await node.exec(['ip', 'route', 'show', 'proto', '200'])).stdout;
    await waitFor(async () => (await routes()).includes('10.244.200.0/24 via 10.251.0.3 dev eth0'), 'route to the other node', 10_000);
    await cluster.client.delete(NODES, other);
    await waitFor(async () => !(await routes()).includes('10.244.200.0/24'), 'route withdrawn', 10_000);
  });

  it('feeds kubectl top nodes and top pods from the agent\'s stats summary through the MetricsSource', async () => {
    const store = new NodeMetricsStore();
    cluster.core.ctx.metrics = store;
    // As the control plane scrapes it: GET /stats/summary on the agent's server, with the server token (statsFetcher).
    const getStats = (token: string): Promise<{ code: number; body: string }> => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: agent.serverPort, path: '/stats/summary', headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect((await getStats('wrong')).code).toBe(401);
    expect((await getStats(node.config.serverToken)).code).toBe(200);
    const fetchStats = statsFetcher({ dial: async () => net.connect(agent.serverPort, '127.0.0.1'), serverToken: () => node.config.serverToken });
    await waitFor(async () => {
      await store.scrape(node.name, fetchStats);
      const web = store.podMetrics('default').find((m) => m.metadata.name === 'web');
      return web && store.nodeMetrics().length === 1 && web.containers[0]?.usage.memory !== '0Ki';
    }, 'metrics', 10_000, 300);
    const summary = await agent.stats.summary();
    expect(summary.node.nodeName).toBe(node.name);
    expect(summary.node.cpu?.usageNanoCores).toBeGreaterThanOrEqual(0); // a rate: the collector has an earlier sample
    expect(summary.node.memory?.workingSetBytes).toBeGreaterThan(0);
    expect(summary.pods.find((p) => p.podRef.name === 'web')?.containers.map((c) => c.name)).toEqual(['web']);
    const topNodes = await cluster.kubectl(['top', 'nodes']);
    expect(topNodes.stderr).toBe('');
    expect(topNodes.stdout).toMatch(/NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    expect(topNodes.stdout).toMatch(new RegExp(`${node.name}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`));
    const topPods = await cluster.kubectl(['top', 'pods']);
    expect(topPods.stderr).toBe('');
    expect(topPods.stdout).toMatch(/web\s+\d+m\s+\d+Mi/);
    const containers = await cluster.kubectl(['top', 'pods', 'web', '--containers']);
    expect(containers.stdout).toMatch(/web\s+web\s+\d+m\s+\d+Mi/);
  });

  it('serves /metrics as Prometheus text with the kubelet\'s and kube-proxy\'s figures, to the control plane\'s token only', async () => {
    const getMetrics = (headers: Record<string, string>, path = '/metrics'): Promise<{ code: number; type: string; body: string }> => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: agent.serverPort, path, headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      }).on('error', reject);
    });
    expect((await getMetrics({})).code).toBe(401);
    expect((await getMetrics({ Authorization: 'Bearer wrong' })).code).toBe(401);
    const ok = await getMetrics({ Authorization: `Bearer ${node.config.serverToken}` });
    expect(ok.code).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = new PromIndex(parsePromText(ok.body));
    // Pods ran on this node (web and the probe tests' pods), a Service was programmed, probes were run.
    expect(m.sum('kubelet_node_name', { node: node.name })).toBe(1);
    expect(m.sum('kubelet_running_pods')).toBeGreaterThanOrEqual(1);
    expect(m.sum('kubelet_running_containers', { container_state: 'running' })).toBeGreaterThanOrEqual(1);
    expect(m.sum('kubelet_pod_worker_duration_seconds_count', { operation_type: 'sync' })).toBeGreaterThan(0);
    expect(m.sum('kubelet_pod_start_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(m.sum('prober_probe_total', { probe_type: 'Readiness' })).toBeGreaterThan(0);
    expect(m.sum('prober_probe_total', { probe_type: 'Liveness', result: 'failed' })).toBeGreaterThan(0);
    expect(m.sum('kubeproxy_sync_proxy_rules_duration_seconds_count')).toBeGreaterThan(0);
    expect(m.sum('kubeproxy_sync_proxy_rules_iptables_total', { table: 'nat' })).toBeGreaterThan(0);
    expect(m.sum('kubeproxy_sync_proxy_rules_last_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 3600);
    // The kubelet's /metrics/probes: the probes' counter with the pod's uid, and the process's start time.
    const probes = await getMetrics({ Authorization: `Bearer ${node.config.serverToken}` }, '/metrics/probes');
    expect(probes.code).toBe(200);
    const p = new PromIndex(parsePromText(probes.body));
    const ready = await getPod('ready');
    expect(p.sum('prober_probe_total', { probe_type: 'Readiness', pod: 'ready', pod_uid: ready.metadata?.uid ?? '?' })).toBeGreaterThan(0);
    expect(p.sum('prober_probe_total', { probe_type: 'Liveness', result: 'failed' })).toBe(m.sum('prober_probe_total', { probe_type: 'Liveness', result: 'failed' }));
    // prober_probe_duration_seconds: one observation an attempt, whatever its result; on /metrics/probes alone, as the kubelet's.
    expect(p.sum('prober_probe_duration_seconds_count', { probe_type: 'Readiness', pod: 'ready', container: 'c' }))
      .toBe(p.sum('prober_probe_total', { probe_type: 'Readiness', pod: 'ready' }));
    expect(p.sum('prober_probe_duration_seconds_bucket', { probe_type: 'Readiness', pod: 'ready', le: '10' })).toBeGreaterThan(0);
    expect(m.has('prober_probe_duration_seconds_count')).toBe(false);
    expect(p.has('kubelet_node_name')).toBe(false);
    expect(Math.abs((p.sum('process_start_time_seconds') ?? 0) - (Date.now() / 1000 - process.uptime()))).toBeLessThan(3600);
  });

  it('survives an agent restart: same container, same restartCount, still Running', async () => {
    const before = await getPod('web');
    const cs = before.status!.containerStatuses![0];
    await createPod('away', { containers: [{ name: 'c', image: HELLO }] });
    const away = await waitPod('away', 'Running', (x) => x.status?.phase === 'Running');
    await agent.stop();
    // Deleted for good while the agent is down: the restarted agent must clean it out of the runtime.
    await cluster.client.delete(PODS, 'away', { namespace: 'default', gracePeriodSeconds: 0 });
    agent = newAgent();
    await agent.start();
    // Not re-imported on restart (the tarball is checked once the sandbox image's is, at once for the adopted pod's image).
    await waitFor(() => logs.includes('image docker.io/flotilla/hello:1 already imported'), 'hello.tar found imported before');
    await waitFor(async () => (await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': away.metadata!.uid! } })).length === 0, 'pod deleted while away removed', 15_000);
    // The new agent's worker has looked at the runtime and found the container running (adopted, not restarted).
    const adopted = await waitFor(() => agent.pods.status(before.metadata!.uid!)?.containerStatuses?.[0]?.state?.running ? agent.pods.status(before.metadata!.uid!) : undefined, 'adopted');
    expect(adopted.containerStatuses?.[0]?.containerID).toBe(cs.containerID);
    await agent.idle();
    const after = await waitPod('web', 'Running', (x) => x.status?.phase === 'Running');
    expect(after.status?.containerStatuses?.[0]?.containerID).toBe(cs.containerID);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(cs.restartCount);
    expect(after.status?.podIP).toBe(before.status?.podIP);
    expect(await httpFromNode(node, before.status!.podIP!, 8080)).toMatch(/^Hello/);
  });

  it('stops a deleted pod within its grace period, then it disappears from the API', async () => {
    const p = await getPod('web');
    // A grace period far longer than a stop by SIGTERM takes even on a loaded machine: gone before it ends means the
    // container was stopped by SIGTERM, not killed when the period ran out.
    const grace = 30;
    const t0 = Date.now();
    await cluster.client.delete(PODS, 'web', { namespace: 'default', gracePeriodSeconds: grace });
    await waitFor(async () => { try { await getPod('web'); return false; } catch (e) { return isNotFound(e); } }, 'web gone', (grace - 2) * 1000);
    expect(Date.now() - t0).toBeLessThan(grace * 1000);
    const boxes = await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': p.metadata!.uid! } });
    await waitFor(async () => (await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': p.metadata!.uid! } })).length === 0, 'sandbox removed', 10_000);
    expect(boxes.every((b) => b.labels[LABEL_MANAGED] === 'true')).toBe(true);
  });

  it('SIGKILLs a container that ignores SIGTERM when the grace period ends, then confirms the deletion', async () => {
    await createPod('stubborn', { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] }] });
    await waitPod('stubborn', 'Running', (x) => x.status?.phase === 'Running');
    const t0 = Date.now();
    await cluster.client.delete(PODS, 'stubborn', { namespace: 'default' });
    await waitFor(async () => { try { await getPod('stubborn'); return false; } catch (e) { return isNotFound(e); } }, 'stubborn gone', 15_000);
    // Not before the grace period ended; and the bound above is the wait's own deadline: a container that ignores
    // SIGTERM ends only by the SIGKILL, and the default grace period (30 s) would outlast the 15-s wait.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('stops and cleans up a pod that is force-deleted while running', async () => {
    await createPod('forced', { containers: [{ name: 'c', image: HELLO }] });
    const p = await waitPod('forced', 'Running', (x) => x.status?.phase === 'Running');
    await cluster.client.delete(PODS, 'forced', { namespace: 'default', gracePeriodSeconds: 0 });
    await waitFor(async () => (await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': p.metadata!.uid! } })).length === 0, 'forced pod removed from the runtime', 15_000);
  });
});
