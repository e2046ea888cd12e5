// The computed NetworkPolicy chains in real iptables: a node namespace routes a client to a pod;
// a default-deny policy blocks the client, an ipBlock rule lets it in again, an `except` for the
// client's address blocks it once more. The chains are written with iptables-restore exactly as
// computed (wiring into the agent's sync loop is separate).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkPolicy, Pod } from '../../../main/api/types';
import { run } from '../../../vm-images/agent/proxy/exec';
import { renderRestore } from '../../../vm-images/agent/proxy/restore-text';
import { computeNetpolRules, NETPOL_CHAIN } from '../../../vm-images/agent/netpol/rules';
import { createNodeTopology, probe, skipUnlessRoot, startServer, type NodeTopology, type Server } from '../../helpers/netns';

describe.skipIf(skipUnlessRoot)('NetworkPolicy chains in real iptables', () => {
  let topo: NodeTopology | undefined;
  let server: Server | undefined;
  beforeAll(async () => {
    topo = await createNodeTopology(1);
    await run(topo.exec, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    await run(topo.exec, ['iptables', '-N', NETPOL_CHAIN]);
    await run(topo.exec, ['iptables', '-A', 'FORWARD', '-j', NETPOL_CHAIN]);
    const { ip, ns } = topo.pods[0] ?? { ip: '', ns: '' };
    await run(topo.exec, ['ip', 'netns', 'exec', topo.client, 'ip', 'route', 'add', '10.244.1.0/24', 'via', topo.nodeIP]);
    server = await startServer(ns, 8080, 'web');
    expect(ip).toBe('10.244.1.10');
  });
  afterAll(async () => {
    await server?.stop();
    await topo?.destroy();
  });

  const web: Pod = {
    metadata: { namespace: 'default', name: 'web', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: '10.244.1.10' },
  };
  const apply = async (policies: NetworkPolicy[]): Promise<void> => {
    const { chains } = computeNetpolRules({ policies, pods: [web], namespaces: new Map([['default', {}]]), nodeName: 'n1' });
    await run(topo!.exec, ['iptables-restore', '--noflush'], renderRestore(chains));
  };
  const reaches = async (): Promise<boolean> => (await probe(topo!.client, '10.244.1.10', 8080, 1, { timeoutMs: 700 }))[0]?.ok ?? false;
  const policy = (spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { namespace: 'default', name: 'p' }, spec });

  it('blocks, then allows, then blocks again real traffic', async () => {
    expect(await reaches()).toBe(true);
    await apply([policy({ podSelector: { matchLabels: { app: 'web' } } })]);
    expect(await reaches()).toBe(false);
    await apply([policy({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.251.0.0/24' } }], ports: [{ protocol: 'TCP', port: 'http' }] }] })]);
    expect(await reaches()).toBe(true);
    await apply([policy({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.251.0.0/24', except: ['10.251.0.3/32'] } }] }] })]);
    expect(await reaches()).toBe(false);
  });
});
