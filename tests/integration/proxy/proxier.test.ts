// The proxier against real iptables (nft backend) inside a node network namespace with pods on a
// bridge and a client next door. No mocks: connections go through the rules we program.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Exec } from '../../../vm-images/agent/proxy/exec';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { endpointChainName, serviceChainName } from '../../../vm-images/agent/proxy/names';
import { Proxier, type SyncResult } from '../../../vm-images/agent/proxy/proxier';
import { applyNodeSysctls } from '../../../vm-images/agent/network/sysctls';
import { buildModel } from '../../../vm-images/agent/proxy/build-model';
import type { EndpointSlice, Service } from '../../../main/api/types';
import {
  answeredBy, createNodeTopology, iptablesSave, probe, skipUnlessRoot, startServer,
  type NodeTopology, type Server,
} from '../../helpers/netns';

const PORT = 8080;

describe.skipIf(skipUnlessRoot)('proxier in a network namespace', () => {
  let topo: NodeTopology;
  let servers: Server[] = [];
  let proxier: Proxier | null = null;
  const restoreInputs: string[] = [];
  let exec: Exec;

  beforeAll(async () => {
    topo = await createNodeTopology(3);
    await applyNodeSysctls(topo.exec);
    servers = await Promise.all(topo.pods.map((p) => startServer(p.ns, PORT, p.name)));
    exec = async (argv, stdin) => {
      if (argv[0] === 'iptables-restore' && stdin !== undefined) restoreInputs.push(stdin);
      return topo.exec(argv, stdin);
    };
  });

  afterEach(async () => {
    if (proxier) await proxier.cleanup();
    proxier = null;
    restoreInputs.length = 0;
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await topo?.destroy();
  });

  function svc(name: string, clusterIP: string, pods: number[], extra: Partial<ServiceModel> = {}): ServiceModel {
    return {
      namespace: 'default', name, clusterIP,
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
      endpoints: pods.map((i) => ({ ip: topo.pods[i].ip, ports: { http: PORT }, ready: true })),
      ...extra,
    };
  }

  function model(services: ServiceModel[]): ProxyModel {
    return { services, nodeIPs: [topo.nodeIP], clusterCIDR: '10.244.0.0/16', nodeName: 'node-1' };
  }

  async function start(m: ProxyModel, minSyncIntervalMs = 0): Promise<SyncResult> {
    proxier = new Proxier({ exec, minSyncIntervalMs });
    proxier.update(m);
    const r = await proxier.syncNow();
    if (!r) throw new Error('no sync');
    return r;
  }

  it('ClusterIP reaches every endpoint from the node and from a pod (including itself: hairpin)', async () => {
    const r = await start(model([svc('web', '10.96.0.10', [0, 1, 2])]));
    expect(r.full).toBe(true);
    expect(r.jumpsInserted).toBeGreaterThan(0);
    const fromNode = await probe(topo.node, '10.96.0.10', 80, 60, { stopAfterDistinct: 3 });
    expect(answeredBy(fromNode)).toEqual(new Set(['pod0', 'pod1', 'pod2']));
    const fromPod = await probe(topo.pods[0].ns, '10.96.0.10', 80, 60, { stopAfterDistinct: 3 });
    expect(answeredBy(fromPod)).toEqual(new Set(['pod0', 'pod1', 'pod2']));
    // pod0 reaching itself was masqueraded (KUBE-SEP hairpin mark) to the bridge address.
    const self = fromPod.find((x) => x.ok && x.data?.startsWith('pod0 '));
    expect(self?.data).toBe(`pod0 ${topo.bridgeIP}`);
    // Pod → other pod keeps the pod's source address (in-cluster: no masquerade).
    const other = fromPod.find((x) => x.ok && x.data?.startsWith('pod1 '));
    expect(other?.data).toBe(`pod1 ${topo.pods[0].ip}`);
  });

  it('works from API objects: a NodePort Service with a named targetPort and its EndpointSlice', async () => {
    const service: Service = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.60', ports: [{ name: 'web', port: 8000, targetPort: 'http', nodePort: 30600, protocol: 'TCP' }] },
    };
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'api-x1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'api' } },
      ports: [{ name: 'web', port: PORT, protocol: 'TCP' }],
      endpoints: [
        { addresses: [topo.pods[0].ip], conditions: { ready: true }, nodeName: 'node-1' },
        { addresses: [topo.pods[1].ip], conditions: { ready: false }, nodeName: 'node-1' },
        { addresses: [topo.pods[2].ip], nodeName: 'node-1' },
      ],
    };
    await start(buildModel([service], [slice], 'node-1', [topo.nodeIP]));
    expect(answeredBy(await probe(topo.node, '10.96.0.60', 8000, 40, { stopAfterDistinct: 2 }))).toEqual(new Set(['pod0', 'pod2']));
    expect(answeredBy(await probe(topo.client, topo.nodeIP, 30600, 40, { stopAfterDistinct: 2 }))).toEqual(new Set(['pod0', 'pod2']));
  });

  it('NodePort answers on the node IP from outside and on 127.0.0.1 inside the node', async () => {
    const s = svc('np', '10.96.0.11', [0, 1, 2]);
    s.ports[0].nodePort = 30080;
    await start(model([s]));
    const fromClient = await probe(topo.client, topo.nodeIP, 30080, 60, { stopAfterDistinct: 3 });
    expect(answeredBy(fromClient)).toEqual(new Set(['pod0', 'pod1', 'pod2']));
    const fromLoopback = await probe(topo.node, '127.0.0.1', 30080, 60, { stopAfterDistinct: 3 });
    expect(answeredBy(fromLoopback)).toEqual(new Set(['pod0', 'pod1', 'pod2']));
  });

  it('a service without ready endpoints is refused at once (REJECT), not left to hang', async () => {
    // Control: without our rules nobody refuses the connection (it hangs, or the gateway
    // answers host-unreachable), so ECONNREFUSED below comes from our REJECT.
    const [control] = await probe(topo.node, '10.96.0.12', 80, 1, { timeoutMs: 400 });
    expect(control?.ok).toBe(false);
    expect(control?.code).not.toBe('ECONNREFUSED');
    const s = svc('empty', '10.96.0.12', [0]);
    s.endpoints[0].ready = false;
    s.ports[0].nodePort = 30081;
    const r = await start(model([s]));
    expect(r.restoreInput).toMatch(/-A KUBE-SERVICES .*default\/empty:http has no endpoints.* -j REJECT/);
    for (const [ns, host, port] of [[topo.node, '10.96.0.12', 80], [topo.pods[1].ns, '10.96.0.12', 80], [topo.client, topo.nodeIP, 30081]] as const) {
      const [res] = await probe(ns, host, port, 1, { timeoutMs: 3000 });
      expect(res?.ok).toBe(false);
      expect(res?.code).toBe('ECONNREFUSED'); // refused at once (REJECT), not the probe's timeout
    }
  });

  it('sessionAffinity ClientIP sticks to one endpoint', async () => {
    await start(model([svc('sticky', '10.96.0.13', [0, 1, 2], { sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 600 })]));
    const fromNode = await probe(topo.node, '10.96.0.13', 80, 15);
    expect(fromNode.every((x) => x.ok)).toBe(true);
    expect(answeredBy(fromNode).size).toBe(1);
    const fromPod = await probe(topo.pods[2].ns, '10.96.0.13', 80, 15);
    expect(answeredBy(fromPod).size).toBe(1);
    const saved = await iptablesSave(topo.node, 'nat');
    expect(saved).toMatch(/-m recent --rcheck --seconds 600 --reap --name KUBE-SEP-/);
    expect(saved).toMatch(/-m recent --set --name KUBE-SEP-/);
  });

  it('an endpoint change re-syncs only that service; a deleted service leaves no chains', async () => {
    const a = svc('a', '10.96.0.20', [0, 1, 2]);
    const b = svc('b', '10.96.0.21', [0, 1]);
    await start(model([a, b]));
    const chainA = serviceChainName('default/a:http', 'tcp');
    const chainB = serviceChainName('default/b:http', 'tcp');
    const sepA2 = endpointChainName('default/a:http', 'tcp', `${topo.pods[2].ip}:${PORT}`);
    restoreInputs.length = 0;

    proxier!.update(model([svc('a', '10.96.0.20', [0, 1]), b]));
    const r = (await proxier!.syncNow())!;
    expect(r.full).toBe(false);
    expect(r.changedServices).toEqual(['default/a']);
    expect(r.deletedChains).toEqual([sepA2]);
    expect(restoreInputs).toEqual([r.restoreInput]);
    const declared = r.restoreInput.split('\n').filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]);
    expect(declared).toContain(chainA);
    expect(declared).not.toContain(chainB);
    expect(declared.filter((c) => c?.startsWith('KUBE-SEP-') && c !== sepA2)).toHaveLength(2);
    expect(r.restoreInput).toContain(`-X ${sepA2}`);

    const saved = await iptablesSave(topo.node, 'nat');
    expect(saved).not.toContain(sepA2);
    expect(saved).toContain(`:${chainB}`);
    expect(saved.split('\n').filter((l) => l.startsWith(`-A ${chainA} `) && l.includes('-j KUBE-SEP-'))).toHaveLength(2);
    const answers = answeredBy(await probe(topo.node, '10.96.0.20', 80, 20));
    expect(answers.has('pod2')).toBe(false);

    // Nothing changed: only the top-level chains are rewritten.
    const same = (await proxier!.syncNow())!;
    expect(same.changedServices).toEqual([]);

    proxier!.update(model([b]));
    const del = (await proxier!.syncNow())!;
    expect(del.changedServices).toEqual([]);
    const after = await iptablesSave(topo.node, 'nat');
    expect(after).not.toContain(chainA);
    expect(after.match(/^:KUBE-SEP-/gm)).toHaveLength(2);
    const [refused] = await probe(topo.node, '10.96.0.20', 80, 1, { timeoutMs: 1500 });
    expect(refused?.ok).toBe(false);
  });

  it('a restarted proxier removes chains left from services deleted meanwhile, without duplicating jumps', async () => {
    const gone = svc('gone', '10.96.0.50', [0, 1]);
    const kept = svc('kept', '10.96.0.51', [2]);
    const first = new Proxier({ exec, minSyncIntervalMs: 0 });
    first.update(model([gone, kept]));
    await first.syncNow();
    await first.stop(); // the agent dies; its rules stay
    const before = await iptablesSave(topo.node);
    expect(before).toContain(serviceChainName('default/gone:http', 'tcp'));

    const calls: string[][] = [];
    const inner = exec;
    proxier = new Proxier({ exec: async (argv, stdin) => { calls.push(argv); return inner(argv, stdin); }, minSyncIntervalMs: 0 });
    proxier.update(model([kept]));
    const r = (await proxier.syncNow())!;
    expect(r.full).toBe(true);
    expect(r.jumpsInserted).toBe(0);
    expect(calls.filter((c) => c.includes('-C') || c.includes('-I'))).toEqual([]);
    expect(r.deletedChains).toHaveLength(3); // KUBE-SVC + two KUBE-SEP of "gone"
    const after = await iptablesSave(topo.node);
    expect(after).not.toContain(serviceChainName('default/gone:http', 'tcp'));
    expect(after).toContain(serviceChainName('default/kept:http', 'tcp'));
    // Each jump exactly once.
    expect(after.match(/^-A PREROUTING .*-j KUBE-SERVICES$/gm)).toHaveLength(1);
    expect(after.match(/^-A FORWARD .*-j KUBE-FORWARD$/gm)).toHaveLength(1);

    proxier.requestFullSync();
    const again = (await proxier.syncNow())!;
    expect(again.full).toBe(true);
    expect(again.jumpsInserted).toBe(0);
  });

  it('rate-limits: a burst of updates coalesces into one sync, spaced by the minimum interval', async () => {
    const starts: number[] = [];
    proxier = new Proxier({ exec, minSyncIntervalMs: 300, onSync: (r) => starts.push(Date.now() - r.durationMs) });
    for (let i = 0; i < 10; i++) proxier.update(model([svc('burst', '10.96.0.30', [i % 3])]));
    await expect.poll(() => starts.length, { timeout: 5000, interval: 20 }).toBe(1);
    for (let i = 0; i < 5; i++) proxier.update(model([svc('burst', '10.96.0.30', [0, 1, 2].slice(0, 1 + (i % 3)))]));
    await expect.poll(() => starts.length, { timeout: 5000, interval: 20 }).toBe(2);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(290);
    expect(proxier.lastSync?.restoreInput).toContain('default/burst:http');
  });

  it('cleanup() restores the tables exactly, leaving rules of others alone', async () => {
    // Someone else's rules in the same tables and built-in chains.
    await topo.exec(['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '10.99.0.0/16', '-j', 'MASQUERADE']);
    await topo.exec(['iptables', '-t', 'filter', '-N', 'OTHER-CHAIN']);
    await topo.exec(['iptables', '-t', 'filter', '-A', 'FORWARD', '-j', 'OTHER-CHAIN']);
    try {
      const before = await iptablesSave(topo.node);
      const s = svc('tidy', '10.96.0.40', [0, 1], { sessionAffinity: 'ClientIP' });
      s.ports[0].nodePort = 30090;
      await start(model([s, svc('none', '10.96.0.41', [])]));
      expect(await iptablesSave(topo.node)).not.toEqual(before);
      // A second copy of one of our jumps (say, a crash between check and insert) goes too.
      await topo.exec(['iptables', '-t', 'nat', '-I', 'PREROUTING', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES']);
      await proxier!.cleanup();
      proxier = null;
      expect(await iptablesSave(topo.node)).toEqual(before);
    } finally {
      await topo.exec(['iptables', '-t', 'nat', '-D', 'POSTROUTING', '-s', '10.99.0.0/16', '-j', 'MASQUERADE']);
      await topo.exec(['iptables', '-t', 'filter', '-D', 'FORWARD', '-j', 'OTHER-CHAIN']);
      await topo.exec(['iptables', '-t', 'filter', '-X', 'OTHER-CHAIN']);
    }
  });
});
