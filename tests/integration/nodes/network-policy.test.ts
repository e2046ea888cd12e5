// NetworkPolicy enforced by the agents of two real sandbox nodes (containerd, runc, the real agent
// bundle, real kubectl): a client on node A reaches web pods on node A (bridged) and node B (routed);
// a default-deny ingress policy blocks both within seconds, a policy allowing the client's label lets
// it through again while a pod without the label stays blocked; a default-deny egress policy blocks
// the client's traffic and its DNS queries to the node-local 10.96.0.10, an egress rule for UDP 53
// allows DNS only, a rule for the web pods the rest (DNS then allowed by an ipBlock of 10.96.0.10);
// the nodes themselves keep reaching their pods (probes); deleting the policies leaves no rule of ours.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox, waitForReadyNodes } from './support';

const HELLO = 'docker.io/flotilla/hello:1';
/**
 * How long a policy change may take to show in traffic, probe time included (a blocked probe takes its 2 s timeout;
 * the image links no `timeout` applet, so busybox runs it).
 */
const CHANGE_MS = 6000;

const pod = (name: string, node: string, labels: Record<string, string>, serve: boolean): string => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default, labels: ${JSON.stringify(labels)} }
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{ name: app, image: ${HELLO}${serve ? ', ports: [{ name: http, containerPort: 8080 }]' : ", command: [sh, -c, 'sleep 3600']"} }]
`;

const policy = (name: string, spec: string): string => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: default }
spec: ${spec}
`;

describe.skipIf(skipWithoutAgent)('NetworkPolicy on two sandbox nodes', () => {
  const cfg = uniqueSandbox(11);
  const logs: string[] = [];
  let c: TestCluster;
  let nodeA = '';
  let nodeB = '';
  const ips = new Map<string, string>();

  const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input, timeoutMs: 60_000 });
  /** Whether `from` gets the hello page of pod `to` (2 s timeout inside the pod). */
  const reaches = async (from: string, to: string): Promise<boolean> => {
    const r = await c.kubectl(['exec', from, '--', 'busybox', 'timeout', '2', 'wget', '-q', '-O', '-', `http://${ips.get(to)}:8080/`], { timeoutMs: 20_000 });
    return r.stdout.includes(`Hello from ${to}`);
  };
  const resolves = async (from: string): Promise<boolean> => {
    const r = await c.kubectl(['exec', from, '--', 'busybox', 'timeout', '2', 'nslookup', 'kubernetes.default.svc.cluster.local'], { timeoutMs: 20_000 });
    return /^Address: 10\.96\.0\.1$/m.test(r.stdout);
  };
  /** Waits until the probe gives `want`, and returns how long that took. */
  const becomes = async (what: string, probe: () => Promise<boolean>, want: boolean): Promise<number> => {
    const t0 = Date.now();
    await waitFor(async () => (await probe()) === want, what, CHANGE_MS, 50);
    return Date.now() - t0;
  };
  /** Whether the node itself (its network namespace, as the kubelet's probes) gets the hello page of `to`. */
  const nodeReaches = (node: string, to: string): boolean => {
    try {
      return execFileSync('ip', ['netns', 'exec', `${cfg.prefix}-${node}`, 'busybox', 'timeout', '2', 'busybox', 'wget', '-q', '-O', '-', `http://${ips.get(to)}:8080/`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(`Hello from ${to}`);
    } catch {
      return false;
    }
  };
  const ourRules = (node: string): string[] => execFileSync('ip', ['netns', 'exec', `${cfg.prefix}-${node}`, 'iptables-save', '-t', 'filter'], { encoding: 'utf8' })
    .split('\n').filter((l) => l.includes('FLOTILLA-N'));

  beforeAll(async () => {
    c = await startTestCluster({ nodes: { sandbox: cfg, nodes: 2, provider: 'sandbox', readyTimeoutMs: 90_000, log: (l) => logs.push(l) } });
    [nodeA, nodeB] = await waitForReadyNodes(c, 2, logs, 120_000);
    await ok(['apply', '-f', '-'], [
      pod('client', nodeA, { role: 'client' }, false), pod('other', nodeA, { role: 'other' }, false),
      pod('web-a', nodeA, { app: 'web' }, true), pod('web-b', nodeB, { app: 'web' }, true),
    ].join('---'));
    for (const p of ['client', 'other', 'web-a', 'web-b']) {
      await waitFor(async () => {
        const got = await c.client.get<Pod & KObject>(R.pods, p, 'default');
        if (got.status?.containerStatuses?.[0]?.state?.running && got.status.podIP) ips.set(p, got.status.podIP);
        return ips.has(p);
      }, `pod ${p} running`, 120_000, 250);
    }
  }, 300_000);

  afterAll(async () => {
    if (!c) return;
    await stopClusterWithNodes(c, cfg, logs);
  }, 120_000);

  it('a default-deny ingress policy blocks same-node and cross-node traffic; allowing the client label lets only the client in', async () => {
    // Independent probes run side by side (a blocked one waits out its timeout).
    expect(await Promise.all([reaches('client', 'web-a'), reaches('other', 'web-a'), reaches('client', 'web-b'), reaches('other', 'web-b')]))
      .toEqual([true, true, true, true]);
    expect(ourRules(nodeA)).toEqual([]);
    await ok(['apply', '-f', '-'], policy('deny-web', '{ podSelector: { matchLabels: { app: web } }, policyTypes: [Ingress] }'));
    await waitFor(() => ourRules(nodeB).some((l) => l.startsWith('-A FORWARD ') && l.endsWith('-j FLOTILLA-NETPOL')), 'rules on node B', 15_000, 25);
    await Promise.all([
      becomes('client blocked from web-b (other node)', () => reaches('client', 'web-b'), false),
      becomes('client blocked from web-a (same node)', () => reaches('client', 'web-a'), false),
    ]);
    // The node itself (kubelet probes) still reaches its own pods.
    expect(nodeReaches(nodeA, 'web-a')).toBe(true);
    expect(nodeReaches(nodeB, 'web-b')).toBe(true);

    await ok(['apply', '-f', '-'], policy('allow-client', `
  podSelector: { matchLabels: { app: web } }
  ingress: [{ from: [{ podSelector: { matchLabels: { role: client } } }], ports: [{ port: http }] }]`));
    const took = await becomes('client let into web-b', () => reaches('client', 'web-b'), true);
    // One probe that still timed out (2 s) at most, plus the change itself.
    expect(took).toBeLessThan(CHANGE_MS);
    expect(await Promise.all([reaches('client', 'web-a'), reaches('other', 'web-a'), reaches('other', 'web-b')])).toEqual([true, false, false]);
  }, 90_000);

  it('a default-deny egress policy blocks the client and its DNS; UDP 53 allows DNS, a rule for the web pods the rest', async () => {
    expect(await resolves('client')).toBe(true);
    await ok(['apply', '-f', '-'], policy('client-egress', '{ podSelector: { matchLabels: { role: client } }, policyTypes: [Egress] }'));
    await becomes('client egress blocked', () => reaches('client', 'web-b'), false);
    expect(await Promise.all([resolves('client'), reaches('client', 'web-a')])).toEqual([false, false]);

    await ok(['apply', '-f', '-'], policy('client-egress', `
  podSelector: { matchLabels: { role: client } }
  policyTypes: [Egress]
  egress: [{ ports: [{ protocol: UDP, port: 53 }] }]`));
    await becomes('client resolves again', () => resolves('client'), true);
    expect(await reaches('client', 'web-b')).toBe(false);

    await ok(['apply', '-f', '-'], policy('client-egress', `
  podSelector: { matchLabels: { role: client } }
  policyTypes: [Egress]
  egress:
  - { to: [{ ipBlock: { cidr: 10.96.0.10/32 } }], ports: [{ protocol: UDP, port: 53 }] }
  - { to: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 8080 }] }`));
    await becomes('client reaches web-b again', () => reaches('client', 'web-b'), true);
    expect(await Promise.all([reaches('client', 'web-a'), resolves('client')])).toEqual([true, true]);
  }, 90_000);

  it('deleting the policies removes every chain and jump of ours from both nodes', async () => {
    await ok(['delete', 'netpol', '--all']);
    await waitFor(() => ourRules(nodeA).length === 0 && ourRules(nodeB).length === 0, 'no rules of ours', 5000, 50);
    expect(await reaches('other', 'web-b')).toBe(true);
  }, 30_000);
});
