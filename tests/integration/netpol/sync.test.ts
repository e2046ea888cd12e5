// The agent's NetworkPolicy sync against a real API server (policies written with real kubectl) and
// real iptables in a network namespace standing in for the node: nothing of ours while no local pod is
// isolated; a policy puts its chains and one jump at the top of FORWARD and INPUT (how fast is a
// benchmark's business, not a test's); a full resync moves the jumps back to the top when another rule
// went above them; the chains go when the pod goes; a leftover chain of an earlier run is deleted; stop removes everything of ours, and
// rules of others stay untouched throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { netnsExec, run, type Exec } from '../../../vm-images/agent/proxy/exec';
import { NetpolSync } from '../../../vm-images/agent/netpol/netpol-sync';
import { agentInformer } from '../../../vm-images/agent/sync/informers';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { createNetns, deleteNetns, skipUnlessRoot } from '../../helpers/netns';

const FOREIGN = '-A FORWARD -s 192.0.2.1/32 -j ACCEPT';
const LEFTOVER = 'FLOTILLA-NPI-AAAAAAAAAAAA';

describe.skipIf(skipUnlessRoot)('NetworkPolicy sync into a node\'s iptables', () => {
  let c: TestCluster;
  let ns = '';
  let exec: Exec;
  let sync: NetpolSync | undefined;
  let stopPods: (() => void) | undefined;
  const logs: string[] = [];

  const filter = async (): Promise<string[]> => (await run(exec, ['iptables-save', '-t', 'filter'])).split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':'));
  const ours = async (): Promise<string[]> => (await filter()).filter((l) => l.includes('FLOTILLA-N'));
  const firstRule = async (hook: string): Promise<string | undefined> => (await filter()).find((l) => l.startsWith(`-A ${hook} `));

  const createPod = async (): Promise<void> => {
    await c.client.create(R.pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    }, { namespace: 'default' });
    const got = await c.client.get<Pod & { metadata: { name: string } }>(R.pods, 'web', 'default');
    await c.client.update(R.pods, { ...got, status: { phase: 'Running', podIP: '10.244.1.10' } }, { namespace: 'default', subresource: 'status' });
  };

  beforeAll(async () => {
    c = await startTestCluster();
    ns = await createNetns('np');
    exec = netnsExec(ns);
    await run(exec, ['iptables', '-A', 'FORWARD', '-s', '192.0.2.1/32', '-j', 'ACCEPT']);
    await run(exec, ['iptables', '-N', LEFTOVER]);
    await c.client.create(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await createPod();
    const pods = agentInformer<Pod>(c.client, R.pods, { onError: (e) => logs.push(String(e)) });
    stopPods = pods.start();
    sync = new NetpolSync({ client: c.client, exec, nodeName: 'n1', pods, log: (l) => logs.push(l), resyncMs: 300 });
    sync.start();
    await sync.synced();
  }, 60_000);

  afterAll(async () => {
    await sync?.stop();
    stopPods?.();
    if (ns) await deleteNetns(ns);
    await c?.stop();
    if (logs.length) console.error(logs.join('\n'));
  });

  it('holds nothing of ours (the leftover chain deleted) while no local pod is isolated', async () => {
    await waitFor(async () => (await ours()).length === 0, 'leftover chain deleted', 15_000, 20);
    expect(await filter()).toContain(FOREIGN);
  });

  it('writes the chains and the jumps on a policy, and keeps the jumps first', async () => {
    await c.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: default }\nspec: { podSelector: {} }\n',
    });
    await waitFor(async () => (await firstRule('FORWARD'))?.endsWith('-j FLOTILLA-NETPOL'), 'jump in FORWARD', 15_000, 20);
    expect(await firstRule('INPUT')).toBe('-A INPUT -m comment --comment "flotilla network policies" -j FLOTILLA-NETPOL');
    const rules = await ours();
    expect(rules.filter((l) => l.startsWith('-A FLOTILLA-NETPOL -d 10.244.1.10/32 -j FLOTILLA-NPI-'))).toHaveLength(1);
    expect(rules.some((l) => /^-A FLOTILLA-NPI-\S+ -j DROP$/.test(l))).toBe(true);

    await run(exec, ['iptables', '-I', 'FORWARD', '1', '-s', '192.0.2.2/32', '-j', 'ACCEPT']);
    await waitFor(async () => (await firstRule('FORWARD'))?.endsWith('-j FLOTILLA-NETPOL'), 'jump back on top after a full resync', 15_000, 20);
    const all = await filter();
    expect(all.filter((l) => l.endsWith('-j FLOTILLA-NETPOL') && l.startsWith('-A FORWARD'))).toHaveLength(1);
    expect(all).toContain('-A FORWARD -s 192.0.2.2/32 -j ACCEPT');
    expect(all).toContain(FOREIGN);
  });

  it('removes the chains and jumps when the pod goes, writes them again when it is back, removes all on stop', async () => {
    await c.client.delete(R.pods, 'web', { namespace: 'default', gracePeriodSeconds: 0 });
    await waitFor(async () => (await ours()).length === 0, 'chains gone with the pod', 15_000, 20);
    await createPod();
    await waitFor(async () => (await ours()).length > 0, 'chains back with the pod', 15_000, 20);
    await sync?.stop();
    sync = undefined;
    expect(await ours()).toEqual([]);
    expect(await filter()).toContain(FOREIGN);
  });
});
