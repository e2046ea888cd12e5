// Traffic from the host into a cluster of two sandbox nodes, with real kubectl and HTTP from this process: pod IPs
// (source kept), ClusterIPs and the load balancer pool through the node manager's host routes, NodePorts on every node
// IP, a LoadBalancer address shown by `kubectl get svc`; externalTrafficPolicy Local (health check port, the address
// routed to the node with the endpoint, client address kept), internalTrafficPolicy Local, ClientIP affinity,
// externalIPs, and `kubectl port-forward svc/… deploy/…`. The routes go when the node manager stops.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Node, Pod, Service } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { KUBECTL, startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';
import { answer, appManifest, curlInNetns, EXTERNAL_IP, httpGet } from './host-access-support';
import { cidrContains } from '../../../main/api/load-balancer';
import { readyForPods } from '../../helpers/node-ready';

const ONE_NODE = 'node-1';
const SOLO_NODE = 'node-2';

describe.skipIf(skipWithoutAgent)('traffic from the host into a sandbox cluster', () => {
  const cfg = uniqueSandbox(11);
  const logs: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  let c: TestCluster;
  const nodeIP: Record<string, string> = {};
  const svc = (name: string): Promise<Service> => c.client.get<Service>(R.services, name, 'default');
  const podsOf = async (app: string): Promise<Pod[]> => (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
  const netns = (node: string): string => `${cfg.prefix}-${node}`;
  const routesViaNodes = (): string[] => execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).split('\n')
    .filter((l) => Object.values(nodeIP).some((ip) => l.includes(` via ${ip} `)));

  beforeAll(async () => {
    c = await startTestCluster({ nodes: { sandbox: cfg, nodes: 2, provider: 'sandbox', readyTimeoutMs: 150_000, log: (l) => logs.push(l), hostRoutes: true } });
    await waitFor(async () => {
      const ready = (await c.client.list<Node>(R.nodes)).items.filter(readyForPods);
      for (const n of ready) nodeIP[n.metadata!.name!] = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
      return ready.length === 2 && !!ready.every((n) => n.spec?.podCIDR);
    }, 'two Ready nodes with podCIDRs', 240_000, 500);
    await c.kubectlOk(['apply', '-f', '-'], { input: appManifest(SOLO_NODE) });
    const readyEndpoints = async (service: string): Promise<number> => (await c.client.list<EndpointSlice>(R.endpointslices, { namespace: 'default', labelSelector: `kubernetes.io/service-name=${service}` }))
      .items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready).length;
    await waitFor(async () => (await readyEndpoints('web')) === 2 && (await readyEndpoints('solo-lb')) === 1, 'web on both nodes and solo ready', 180_000, 500);
  }, 480_000);

  afterAll(async () => {
    for (const ch of children) ch.kill('SIGKILL');
    if (!c) return;
    await c.core.nodes?.hostRoutes?.stop();
    await stopClusterWithNodes(c, cfg, logs);
  }, 180_000);

  it('reaches every pod IP from the host, which the pod sees as the client (no masquerade)', async () => {
    for (const p of await podsOf('web')) {
      expect(await waitFor(() => answer(p.status!.podIP!, 8080), `pod ${p.metadata!.name!} from the host`, 30_000, 250)).toBe(`${gatewayIP(cfg)} ${p.metadata!.name!}`);
    }
  });

  it('reaches a ClusterIP from the host, answered by the pods of both nodes', async () => {
    const ip = (await svc('web')).spec!.clusterIP!;
    const seen = new Set<string>();
    await waitFor(async () => {
      const body = await answer(ip, 80);
      if (body) seen.add(body.split(' ')[1] ?? '');
      return seen.size === 2;
    }, 'both web pods through the ClusterIP', 60_000, 100);
    expect([...seen].sort()).toEqual((await podsOf('web')).map((p) => p.metadata!.name!).sort());
  });

  it('answers a NodePort on every node IP', async () => {
    const nodePort = (await svc('web-np')).spec!.ports![0].nodePort!;
    for (const ip of Object.values(nodeIP)) expect(await waitFor(() => answer(ip, nodePort), `NodePort on ${ip}`, 30_000, 250)).toMatch(/ web-/);
  });

  it('gives a LoadBalancer an address of the pool that kubectl shows and the host reaches', async () => {
    const lb = await waitFor(async () => (await svc('web-lb')).status?.loadBalancer?.ingress?.[0], 'web-lb address', 30_000, 200);
    expect(lb.ipMode).toBe('VIP');
    expect(lb.ip).toMatch(/^10\.250\.0\.\d+$/);
    const row = (await c.kubectlOk(['get', 'svc', 'web-lb', '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 4)).toEqual(['web-lb', 'LoadBalancer', (await svc('web-lb')).spec!.clusterIP!, lb.ip]);
    expect(await waitFor(() => answer(lb.ip!, 80), 'web-lb from the host', 30_000, 250)).toMatch(/ web-/);
  });

  it('externalTrafficPolicy Local: health check per node, address routed to the node with the endpoint, client address kept', async () => {
    const s = await waitFor(async () => { const x = await svc('solo-lb'); return x.status?.loadBalancer?.ingress?.[0]?.ip ? x : undefined; }, 'solo-lb address', 30_000, 200);
    const hcnp = s.spec!.healthCheckNodePort!;
    expect(hcnp).toBeGreaterThanOrEqual(30000);
    const health = async (node: string) => {
      const r = await httpGet(nodeIP[node], hcnp, '/healthz');
      return 'status' in r ? { status: r.status, body: JSON.parse(r.body) as unknown } : undefined;
    };
    expect(await waitFor(() => health(SOLO_NODE), 'health check on the endpoint\'s node', 30_000, 250)).toEqual({
      status: 200, body: { service: { namespace: 'default', name: 'solo-lb' }, localEndpoints: 1, serviceProxyHealthy: true },
    });
    expect(await health(ONE_NODE)).toEqual({ status: 503, body: { service: { namespace: 'default', name: 'solo-lb' }, localEndpoints: 0, serviceProxyHealthy: true } });
    const ip = s.status!.loadBalancer!.ingress![0].ip!;
    await waitFor(() => execFileSync('ip', ['-o', 'route', 'show', 'exact', `${ip}/32`], { encoding: 'utf8' }).startsWith(`${ip} via ${nodeIP[SOLO_NODE]} `),
      'the address routed to the endpoint\'s node', 30_000, 250);
    const solo = (await podsOf('solo'))[0].metadata!.name!;
    expect(await waitFor(() => answer(ip, 80), 'solo-lb from the host', 30_000, 250)).toBe(`${gatewayIP(cfg)} ${solo}`);
  });

  it('internalTrafficPolicy Local: the ClusterIP answers on the endpoint\'s node and is dropped on the other', async () => {
    const ip = (await svc('solo-itp')).spec!.clusterIP!;
    expect(await waitFor(() => curlInNetns(netns(SOLO_NODE), `http://${ip}/cgi-bin/ip`), 'solo-itp on its node', 30_000, 250)).toMatch(/ solo-/);
    const rules = execFileSync('ip', ['netns', 'exec', netns(ONE_NODE), 'iptables', '-w', '-S', 'KUBE-SERVICES'], { encoding: 'utf8' });
    expect(rules).toContain(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/solo-itp:http has no local endpoints" -m tcp --dport 80 -j DROP`);
    expect(await curlInNetns(netns(ONE_NODE), `http://${ip}/cgi-bin/ip`, 2)).toBe('');
  });

  it('sessionAffinity ClientIP keeps the host on one pod', async () => {
    const ip = (await svc('web-sticky')).spec!.clusterIP!;
    const first = await waitFor(() => answer(ip, 80), 'web-sticky from the host', 30_000, 250);
    for (let i = 0; i < 8; i++) expect((await answer(ip, 80))?.split(' ')[1]).toBe(first.split(' ')[1]);
  });

  it('answers an externalIP on the nodes', async () => {
    expect(await waitFor(() => curlInNetns(netns(ONE_NODE), `http://${EXTERNAL_IP}/cgi-bin/ip`), 'externalIP from a node', 30_000, 250)).toMatch(/ web-/);
  });

  it('kubectl port-forward svc/… and deploy/… reach a pod of the service and of the deployment', async () => {
    // The Service's port 80 maps to its named targetPort; the Deployment's pod is asked for its container port.
    for (const [target, remote, expected] of [['svc/web', ':80', / web-/], ['deploy/solo', ':8080', / solo-/]] as const) {
      const child = spawn(KUBECTL, ['port-forward', target, remote], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KUBECONFIG: c.core.kubeconfigPath, HOME: path.join(c.dir, 'home') },
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const port = Number(await waitFor(() => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)?.[1], `port-forward ${target}: ${out}`, 20_000, 50));
      expect(await waitFor(() => answer('127.0.0.1', port), `through port-forward ${target}`, 20_000, 100)).toMatch(expected);
      child.kill('SIGTERM');
    }
  });

  it('takes every route it added away when the node manager stops', async () => {
    const routes = routesViaNodes();
    expect(routes.some((r) => r.startsWith('10.96.0.0/16 via '))).toBe(true);
    expect(routes.some((r) => r.startsWith('10.250.0.0/24 via '))).toBe(true);
    // The two nodes' podCIDRs: /24s of this cluster's own cluster CIDR.
    expect(routes.filter((r) => cidrContains(c.core.clusterCIDR, r.split('/')[0] ?? '')).length).toBe(2);
    await c.core.nodes!.hostRoutes!.stop();
    expect(routesViaNodes()).toEqual([]);
  });
});
