// Node networking helpers against the real kernel, inside namespaces of our own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localExec, netnsExec, run } from '../../../vm-images/agent/proxy/exec';
import { cniConfList } from '../../../vm-images/agent/network/cni-config';
import { ensurePodEgressMasquerade, removePodEgressMasquerade } from '../../../vm-images/agent/network/masquerade';
import { syncPodRoutes } from '../../../vm-images/agent/network/routes';
import { applyNodeSysctls, hasBrNetfilter, readNodeSysctls } from '../../../vm-images/agent/network/sysctls';
import {
  createNetns, createNodeTopology, deleteNetns, ip, iptablesSave, probe, skipUnlessRoot, startServer,
} from '../../helpers/netns';

describe.skipIf(skipUnlessRoot)('node network setup in a namespace', () => {
  const namespaces: string[] = [];
  afterAll(async () => {
    for (const ns of namespaces) await deleteNetns(ns);
  });

  it('sysctls are written inside the node namespace, not the host', async () => {
    const ns = await createNetns('s');
    namespaces.push(ns);
    const hostBefore = await readFile('/proc/sys/net/ipv4/conf/all/route_localnet', 'utf8');
    await run(netnsExec(ns), ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0', 'net.ipv4.conf.all.route_localnet=0']);
    const ran: string[][] = [];
    const base = netnsExec(ns);
    await applyNodeSysctls((argv, stdin) => { ran.push(argv); return base(argv, stdin); });
    // The bridge settings below exist only with br_netfilter in the kernel: then no modprobe is run (built in, as on
    // this host's kernel, it is not in /sys/module).
    expect(hasBrNetfilter()).toBe(true);
    expect(ran.map((a) => a[0])).toEqual(['sysctl']);
    expect(await readNodeSysctls(netnsExec(ns))).toEqual({
      'net.ipv4.ip_forward': '1', 'net.bridge.bridge-nf-call-iptables': '1', 'net.ipv4.conf.all.route_localnet': '1',
    });
    expect(await readFile('/proc/sys/net/ipv4/conf/all/route_localnet', 'utf8')).toBe(hostBefore);
  });

  it('host-gw routes: replaces and removes only our own (proto 200) routes inside 10.244.0.0/16', async () => {
    const ns = await createNetns('r');
    namespaces.push(ns);
    const exec = netnsExec(ns);
    await ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1');
    await ip('-n', ns, 'addr', 'add', '10.251.0.2/24', 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'eth1', 'up');
    // Not ours: a static route in the pod network, and a proto-200 route outside it.
    await ip('-n', ns, 'route', 'add', '10.244.9.0/24', 'via', '10.251.0.9', 'proto', 'static');
    await ip('-n', ns, 'route', 'add', '10.50.0.0/24', 'via', '10.251.0.8', 'proto', '200');
    const routes = async (): Promise<string[]> => (await ip('-n', ns, 'route', 'show')).trim().split('\n').map((l) => l.trim()).sort();

    const first = await syncPodRoutes(exec, [
      { cidr: '10.244.2.0/24', via: '10.251.0.3' }, { cidr: '10.244.3.0/24', via: '10.251.0.4' }, { cidr: '10.99.0.0/24', via: '10.251.0.5' },
    ]);
    expect(first).toEqual({ replaced: ['10.244.2.0/24', '10.244.3.0/24'], removed: [] });
    expect(await routes()).toEqual(expect.arrayContaining([
      '10.244.2.0/24 via 10.251.0.3 dev eth0 proto 200', '10.244.3.0/24 via 10.251.0.4 dev eth0 proto 200',
    ]));
    expect((await routes()).some((r) => r.startsWith('10.99.'))).toBe(false);

    expect(await syncPodRoutes(exec, [{ cidr: '10.244.2.0/24', via: '10.251.0.3' }, { cidr: '10.244.3.0/24', via: '10.251.0.4' }]))
      .toEqual({ replaced: [], removed: [] });
    expect(await syncPodRoutes(exec, [{ cidr: '10.244.3.0/24', via: '10.251.0.5' }]))
      .toEqual({ replaced: ['10.244.3.0/24'], removed: ['10.244.2.0/24'] });
    expect(await syncPodRoutes(exec, [])).toEqual({ replaced: [], removed: ['10.244.3.0/24'] });
    expect(await routes()).toEqual([
      '10.244.9.0/24 via 10.251.0.9 dev eth0 proto static',
      '10.251.0.0/24 dev eth0 proto kernel scope link src 10.251.0.2',
      '10.50.0.0/24 via 10.251.0.8 dev eth0 proto 200',
    ]);
  });

  describe('with a node topology', () => {
    let topo: Awaited<ReturnType<typeof createNodeTopology>>;
    let dataDir = '';
    beforeAll(async () => {
      topo = await createNodeTopology(1);
      dataDir = await mkdtemp(join(tmpdir(), 'flt-cni-'));
    });
    afterAll(async () => {
      await topo?.destroy();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('the CNI conflist works with the real bridge + host-local plugins (hairpin on, no per-pod masquerade chains)', async () => {
      const list = cniConfList('fltbr0', '10.244.7.0/24', dataDir);
      const bridgeConf = { cniVersion: list.cniVersion, name: list.name, ...list.plugins[0] };
      const podNs = await createNetns('k');
      namespaces.push(podNs);
      const env = ['env', `CNI_CONTAINERID=${podNs}`, `CNI_NETNS=/run/netns/${podNs}`, 'CNI_IFNAME=eth0', 'CNI_PATH=/usr/lib/cni'];
      const natBefore = await iptablesSave(topo.node, 'nat');
      const add = await topo.exec([...env, 'CNI_COMMAND=ADD', '/usr/lib/cni/bridge'], JSON.stringify(bridgeConf));
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      const result = JSON.parse(add.stdout) as { ips: Array<{ address: string; gateway: string }> };
      expect(result.ips[0]).toMatchObject({ address: '10.244.7.2/24', gateway: '10.244.7.1' });
      expect(await ip('-n', topo.node, '-br', 'addr', 'show', 'fltbr0')).toContain('10.244.7.1/24');
      expect(await ip('-n', topo.node, '-d', 'link', 'show', 'master', 'fltbr0')).toContain('hairpin on');
      expect(await ip('-n', podNs, 'route', 'show', 'default')).toContain('via 10.244.7.1');
      expect(await iptablesSave(topo.node, 'nat')).toBe(natBefore);
      const del = await topo.exec([...env, 'CNI_COMMAND=DEL', '/usr/lib/cni/bridge'], JSON.stringify(bridgeConf));
      expect(del.code).toBe(0);
    });

    it('pod egress is masqueraded to the node address only while the rule is in place, and removal is exact', async () => {
      const server = await startServer(topo.client, 9000, 'outside');
      try {
        const before = await iptablesSave(topo.node);
        const [lost] = await probe(topo.pods[0].ns, topo.clientIP, 9000, 1, { timeoutMs: 400 });
        expect(lost?.code).toBe('TIMEOUT'); // the client has no route back to pods
        await ensurePodEgressMasquerade(topo.exec, topo.podCIDR, '10.244.0.0/16');
        await ensurePodEgressMasquerade(topo.exec, topo.podCIDR, '10.244.0.0/16'); // idempotent
        expect((await iptablesSave(topo.node, 'nat')).split('\n').filter((l) => l.startsWith('-A POSTROUTING') && l.includes('FLOTILLA-EGRESS'))).toEqual([
          '-A POSTROUTING -m comment --comment "flotilla pod egress masquerade" -j FLOTILLA-EGRESS',
        ]);
        const [ok] = await probe(topo.pods[0].ns, topo.clientIP, 9000, 1);
        expect(ok?.data).toBe(`outside ${topo.nodeIP}`);
        await removePodEgressMasquerade(topo.exec);
        expect(await iptablesSave(topo.node)).toBe(before);
      } finally {
        await server.stop();
      }
    });
  });

  it('leaves nothing behind on the host', async () => {
    const r = await localExec(['ip', 'link', 'show', 'fltbr0']);
    expect(r.code).not.toBe(0);
  });
});
