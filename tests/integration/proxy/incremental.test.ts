// Incremental and split syncs against real iptables (nft backend) in test network namespaces:
// what is rewritten when, and that a full sync split into several transactions leaves exactly the
// tables a single transaction leaves, with traffic flowing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { Proxier, type SyncResult } from '../../../vm-images/agent/proxy/proxier';
import { commitCount } from '../../../vm-images/agent/proxy/restore-text';
import { applyNodeSysctls } from '../../../vm-images/agent/network/sysctls';
import {
  answeredBy, createNodeTopology, iptablesSave, probe, skipUnlessRoot, startServer, type NodeTopology, type Server,
} from '../../helpers/netns';

const PORT = 8080;

describe.skipIf(skipUnlessRoot)('incremental and split proxier syncs', () => {
  let topo: NodeTopology;
  let servers: Server[] = [];
  let proxier: Proxier | null = null;

  beforeAll(async () => {
    topo = await createNodeTopology(3);
    await applyNodeSysctls(topo.exec);
    servers = await Promise.all(topo.pods.map((p) => startServer(p.ns, PORT, p.name)));
  });

  afterEach(async () => {
    if (proxier) await proxier.cleanup();
    proxier = null;
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await topo?.destroy();
  });

  function svc(name: string, clusterIP: string, pods: number[], port = 80): ServiceModel {
    return {
      namespace: 'default', name, clusterIP, ports: [{ name: 'http', port, protocol: 'TCP' }],
      sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
      endpoints: pods.map((i) => ({ ip: topo.pods[i].ip, ports: { http: PORT }, ready: true })),
    };
  }

  const model = (services: ServiceModel[]): ProxyModel => ({ services, nodeIPs: [topo.nodeIP], clusterCIDR: '10.244.0.0/16', nodeName: 'node-1' });

  async function sync(m: ProxyModel): Promise<SyncResult> {
    proxier!.update(m);
    const r = await proxier!.syncNow();
    if (!r) throw new Error('no sync');
    return r;
  }

  it('an endpoint-only change leaves KUBE-SERVICES alone; a port change rewrites it', async () => {
    proxier = new Proxier({ exec: topo.exec, minSyncIntervalMs: 0 });
    const other = svc('other', '10.96.1.2', [2]);
    await sync(model([svc('web', '10.96.1.1', [0]), other]));

    const moved = await sync(model([svc('web', '10.96.1.1', [1]), other]));
    expect(moved.changedServices).toEqual(['default/web']);
    expect(moved.restoreInput).not.toMatch(/^:KUBE-(SERVICES|NODEPORTS|EXTERNAL-SERVICES) /m);
    expect(answeredBy(await probe(topo.node, '10.96.1.1', 80, 5))).toEqual(new Set(['pod1']));

    const ported = await sync(model([svc('web', '10.96.1.1', [1], 81), other]));
    expect(ported.restoreInput).toMatch(/^\*nat\n(.*\n)*:KUBE-SERVICES - \[0:0\]$/m);
    expect(answeredBy(await probe(topo.node, '10.96.1.1', 81, 3))).toEqual(new Set(['pod1']));
    const [old] = await probe(topo.node, '10.96.1.1', 80, 1, { timeoutMs: 500 });
    expect(old?.ok).toBe(false);
    expect(answeredBy(await probe(topo.node, '10.96.1.2', 80, 3))).toEqual(new Set(['pod2']));
  });

  it('a full sync split into many transactions leaves the same tables as one transaction', async () => {
    const services = Array.from({ length: 12 }, (_, i) => svc(`s${i}`, `10.96.2.${i + 1}`, [i % 3, (i + 1) % 3]));
    services[0].ports[0].nodePort = 30700;
    services[1].sessionAffinity = 'ClientIP';
    const whole = await saveAfterFullSync(services, 100_000);
    expect(commitCount(whole.restoreInput)).toBe(2);

    const split = await saveAfterFullSync(services, 4);
    expect(commitCount(split.restoreInput)).toBeGreaterThan(10);
    expect(split.jumpsInserted).toBe(whole.jumpsInserted);
    expect(split.saved).toBe(whole.saved);
    expect(answeredBy(await probe(topo.node, '10.96.2.5', 80, 30, { stopAfterDistinct: 2 }))).toEqual(new Set(['pod1', 'pod2']));
    expect(answeredBy(await probe(topo.client, topo.nodeIP, 30700, 30, { stopAfterDistinct: 2 }))).toEqual(new Set(['pod0', 'pod1']));
  });

  async function saveAfterFullSync(services: ServiceModel[], maxChainsPerCommit: number): Promise<SyncResult & { saved: string }> {
    if (proxier) await proxier.cleanup();
    proxier = new Proxier({ exec: topo.exec, minSyncIntervalMs: 0, maxChainsPerCommit });
    const r = await sync(model(services));
    expect(r.full).toBe(true);
    return { ...r, saved: await iptablesSave(topo.node) };
  }
});
