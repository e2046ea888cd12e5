// Before the control plane gives the node a podCIDR: the node registers NotReady (network not
// ready, with the kubelet's message), hostNetwork pods run, other pods wait without a sandbox; once
// the podCIDR arrives the CNI config is written, the node turns Ready and the waiting pods start.
// No controllers run here, so the test plays IPAM itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event as CoreEvent, Node, Pod } from '../../../main/api/types';
import { Agent } from '../../../vm-images/agent/agent';
import { NETWORK_NOT_READY } from '../../../vm-images/agent/node/conditions';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { assignPodCIDR, HELLO, newTestAgent, NODES, PODS, podSpecOf, startTestNode, type TestNode } from './support';

describe.skipIf(skipUnlessRoot)('agent before the node has a podCIDR', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  let started: Promise<void>;
  const logs: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ controllers: false });
    node = await startTestNode(cluster);
    agent = newTestAgent(node, logs);
    started = agent.start();
    started.catch(() => undefined);
  });
  afterAll(async () => {
    await agent?.stop();
    await node?.teardown();
    await cluster?.stop();
  });

  const getPod = (name: string): Promise<Pod> => cluster.client.get<Pod>(PODS, name, 'default');

  it('stop() during start (API unreachable) ends start promptly', async () => {
    const lines: string[] = [];
    const lost = new Agent({ ...node.config, apiServer: 'https://127.0.0.1:1' }, { exec: node.exec, log: (l) => lines.push(l), reconnectBackoffMs: 50 });
    const outcome = lost.start().then(() => 'resolved', (err: unknown) => String(err));
    await waitFor(() => lines.some((l) => l.startsWith('registering node: ') && l.endsWith('(retrying)')), 'registration retrying');
    const t0 = Date.now();
    await lost.stop();
    expect(await outcome).toMatch(/resolved|agent stopped/);
    expect(Date.now() - t0).toBeLessThan(10_000); // not held by the registration's retries
  });

  it('registers NotReady with NetworkUnavailable and the kubelet\'s network message', async () => {
    const n = await waitFor(async () => {
      const got = await cluster.client.get<Node>(NODES, node.name);
      return got.status?.conditions?.length ? got : undefined;
    }, 'node registered');
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY });
    expect(n.status?.conditions?.find((c) => c.type === 'NetworkUnavailable')?.status).toBe('True');
    expect(existsSync(join(node.config.cniConfDir, '10-flotilla.conflist'))).toBe(false);
  });

  it('runs hostNetwork pods meanwhile; other pods wait without a sandbox, and start once the podCIDR arrives', async () => {
    await cluster.client.create<Pod>(PODS, podSpecOf('hostnet', node.name, { hostNetwork: true, containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'sleep 1000'] }] }));
    await cluster.client.create<Pod>(PODS, podSpecOf('waits', node.name, { containers: [{ name: 'c', image: HELLO }] }));
    const host = await waitFor(async () => { const p = await getPod('hostnet'); return p.status?.phase === 'Running' ? p : undefined; }, 'hostNetwork pod Running');
    expect(host.status?.podIP).toBe(node.nodeIP);
    const waits = await getPod('waits');
    expect(waits.status?.phase ?? 'Pending').toBe('Pending');
    expect(await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': waits.metadata!.uid! } })).toEqual([]);

    const cidr = await assignPodCIDR(cluster.client, node.name, node.podCIDR);
    await started;
    expect(existsSync(join(node.config.cniConfDir, '10-flotilla.conflist'))).toBe(true);
    const running = await waitFor(async () => { const p = await getPod('waits'); return p.status?.phase === 'Running' && p.status.podIP ? p : undefined; }, 'pod Running after the podCIDR', 20_000);
    expect(running.status?.podIP?.startsWith(cidr.split('.').slice(0, 3).join('.'))).toBe(true);
    await waitFor(async () => (await cluster.client.get<Node>(NODES, node.name)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 'node Ready');
  });

  it('rejects a pod bound to it that does not fit its allocatable: Failed OutOfcpu, a Warning event, no sandbox (kubelet admission)', async () => {
    const spec = { containers: [{ name: 'c', image: HELLO, resources: { requests: { cpu: '1000' } } }] };
    const created = await cluster.client.create<Pod>(PODS, podSpecOf('too-big', node.name, spec));
    const failed = await waitFor(async () => { const p = await getPod('too-big'); return p.status?.phase === 'Failed' ? p : undefined; }, 'pod Failed');
    expect(failed.status?.reason).toBe('OutOfcpu');
    expect(failed.status?.message).toMatch(/^Pod was rejected: Node didn't have enough resource: cpu, requested: 1000000, used: \d+, capacity: \d+$/);
    expect(failed.status?.qosClass).toBe('Burstable');
    const events = await waitFor(async () => {
      const l = await cluster.client.list<CoreEvent>(
        { group: '', version: 'v1', plural: 'events', namespaced: true }, { namespace: 'default', fieldSelector: 'involvedObject.name=too-big' });
      return l.items.length ? l.items : undefined;
    }, 'the rejection event');
    expect(events[0]).toMatchObject({ type: 'Warning', reason: 'OutOfcpu', source: { component: 'kubelet' } });
    expect(events[0].message).toMatch(/^Node didn't have enough resource: cpu, requested: 1000000, /);
    expect(await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': created.metadata!.uid! } })).toEqual([]);
  });

  it('sets a pod\'s safe sysctls in its namespaces, and rejects one with an unsafe sysctl (SysctlForbidden)', async () => {
    const safe = { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '40000 50000' }, { name: 'net/ipv4/tcp_syncookies', value: '0' }] },
      containers: [{ name: 'c', image: HELLO, command: ['sh', '-c', 'sleep 1000'] }] };
    await cluster.client.create<Pod>(PODS, podSpecOf('sysctl-safe', node.name, safe));
    const unsafe = { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }, containers: [{ name: 'c', image: HELLO }] };
    const refused = await cluster.client.create<Pod>(PODS, podSpecOf('sysctl-unsafe', node.name, unsafe));

    const running = await waitFor(async () => { const p = await getPod('sysctl-safe'); return p.status?.phase === 'Running' ? p : undefined; }, 'sysctl-safe Running', 20_000);
    const id = (running.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^containerd:\/\//, '');
    const read = async (path: string) => Buffer.from((await node.cri.execSync(id, ['cat', path], 5)).stdout).toString().trim();
    expect(await read('/proc/sys/net/ipv4/ip_local_port_range')).toBe('40000\t50000');
    expect(await read('/proc/sys/net/ipv4/tcp_syncookies')).toBe('0');

    const failed = await waitFor(async () => { const p = await getPod('sysctl-unsafe'); return p.status?.phase === 'Failed' ? p : undefined; }, 'sysctl-unsafe Failed');
    expect(failed.status).toMatchObject({ reason: 'SysctlForbidden', message: 'Pod was rejected: forbidden sysctl: "kernel.msgmax" not allowlisted' });
    const events = await waitFor(async () => {
      const l = await cluster.client.list<CoreEvent>(
        { group: '', version: 'v1', plural: 'events', namespaced: true }, { namespace: 'default', fieldSelector: 'involvedObject.name=sysctl-unsafe' });
      return l.items.length ? l.items : undefined;
    }, 'the rejection event');
    expect(events[0]).toMatchObject({ type: 'Warning', reason: 'SysctlForbidden', message: 'forbidden sysctl: "kernel.msgmax" not allowlisted' });
    expect(await node.cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': refused.metadata!.uid! } })).toEqual([]);
  });
});
