// Shared by the node tests: a unique sandbox network per test file (bridge flt<pid base 36><n>,
// a free subnet 10.251.<x>.0/24, prefix: tests/helpers/unique-network.ts; startTestCluster gives the
// cluster a unique cluster CIDR), and the host-clean check (no namespace, bridge, veth, cgroup,
// mount, loop device, process, route, iptables chain or network claim of ours left).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { SandboxConfig } from '../../../main/nodes/providers/sandbox/config';
import { hierarchies } from '../../../main/nodes/providers/sandbox/cgroup';
import { forwardChain } from '../../../main/nodes/providers/sandbox/host';
import { attachedLoopDevices } from '../../../main/nodes/providers/sandbox/disk';
import { CLAIMS_DIR, listClaims } from '../../../main/nodes/providers/sandbox/claims';
import { defaultAgentBundle } from '../../../main/nodes/artifacts';
import { downMachines } from '../../../main/nodes/down';
import { afterAll, beforeAll, expect } from 'vitest';
import type { CoreOptions } from '../../../main/core';
import { startTestCluster, waitForReadyNode, type TestCluster } from '../../helpers/cluster';
import type { KObject } from '../../../main/api/types';
import type { Node } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import { pollUntil } from '../../../main/protocol/poll';
import { uniqueSandboxNetwork } from '../../helpers/unique-network';
import { skipUnlessRoot } from '../../helpers/root';
import { readyForPods } from '../../helpers/node-ready';

export { isRoot } from '../../helpers/root';
/** Skip only when not root, never under CI. */
export const skipNodes = skipUnlessRoot;
/**
 * Tests that run the real agent need its bundle (`npm run build`, which `npm test` runs first). A
 * developer's quick run without it skips them; under CI a missing bundle must fail, never skip.
 */
export const skipWithoutAgent = skipNodes || (!fs.existsSync(defaultAgentBundle()) && process.env.CI !== 'true');

export function uniqueSandbox(n: number): SandboxConfig {
  return uniqueSandboxNetwork(n);
}

/** What of ours is left on the host; empty when clean. */
export function leftovers(c: SandboxConfig, dataDir: string): string[] {
  const out: string[] = [];
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${c.prefix}-`));
  out.push(...netns.map((n) => `netns ${n}`));
  // The bridge, and host ends of veths whose peer is in one of our node namespaces (by netns, not by a
  // name prefix that another data dir's veths may share).
  for (const l of execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')) {
    const name = (l.split(': ')[1] ?? '').split('@')[0] ?? '';
    const peerNs = / link-netns (\S+)/.exec(l)?.[1] ?? '';
    if (name && (name === c.bridge || peerNs.startsWith(`${c.prefix}-`))) out.push(`link ${name}`);
  }
  for (const h of hierarchies()) {
    for (const e of fs.readdirSync(h)) if (e.startsWith(`${c.prefix}-`)) out.push(`cgroup ${h}/${e}`);
  }
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(dataDir));
  out.push(...mounts.map((m) => `mount ${m}`));
  for (const l of attachedLoopDevices()) if (l.file.startsWith(`${path.resolve(dataDir)}/`)) out.push(`loop ${l.device} ${l.file}`);
  // Routes over the bridge or via its nodes (the host routes to this cluster's podCIDRs, service CIDR and pool go via them;
  // a route into the same cluster CIDR via another data dir's nodes is that data dir's).
  const routes = execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' }).split('\n').filter((r) => r.includes(c.subnet.replace('.0/24', '.')) || r.includes(c.bridge));
  out.push(...routes.map((r) => `route ${r}`));
  for (const cl of listClaims()) if (path.resolve(cl.dataDir) === path.resolve(dataDir)) out.push(`claim ${cl.bridge} in ${CLAIMS_DIR}`);
  try {
    execFileSync('iptables', ['-w', '-S', forwardChain(c)], { stdio: 'ignore' });
    out.push(`iptables chain ${forwardChain(c)}`);
  } catch { /* absent: good */ }
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // Zombies hold nothing but a PID; the orphaned ones are reaped lazily by PID 1.
      if (/^\S+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cg = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      if (cg.includes(`/${c.prefix}-`)) out.push(`process ${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 80)}`);
    } catch { /* exited */ }
  }
  return out;
}

/**
 * Tears down an in-process test cluster that has sandbox nodes: the machines first (the cluster's
 * data dir records them, and stopping the cluster removes it), then the cluster. Fails when `down`
 * reported an error or the host is not clean; prints the test's logs then (or with FLOTILLA_TEST_LOGS).
 */
export async function stopClusterWithNodes(c: TestCluster, cfg: SandboxConfig, logs: string[]): Promise<void> {
  c.core.nodes?.stop();
  const dataDir = c.core.dataDir;
  const r = await downMachines(dataDir);
  // A process caught in the middle of exiting (its cmdline already empty) may still be in the node's cgroup for a moment.
  let left = leftovers(cfg, dataDir);
  if (left.length) left = await pollUntil(() => { const l = leftovers(cfg, dataDir); return l.length ? undefined : l; }, 10_000, 'the node\'s last processes to exit', 100).catch(() => leftovers(cfg, dataDir));
  await c.stop().catch(() => undefined);
  if (left.length || r.errors.length || process.env.FLOTILLA_TEST_LOGS) console.error(logs.join('\n'));
  expect(r.errors).toEqual([]);
  expect(left).toEqual([]);
}

/** Says why nodes are not Ready: the node manager's log, each Machine's status and each Node's conditions. */
async function printWhyNotReady(c: TestCluster, logs: string[]): Promise<void> {
  const machines = await c.client.list<KObject>(R.machines).catch(() => ({ items: [] as KObject[] }));
  const nodes = await c.client.list<Node & KObject>(R.nodes).catch(() => ({ items: [] as Array<Node & KObject> }));
  console.error([
    ...logs,
    ...machines.items.map((m) => `machine ${m.metadata?.name}: ${JSON.stringify(m.status ?? {})}`),
    ...nodes.items.map((n) => `node ${n.metadata?.name}: ${(n.status?.conditions ?? []).map((x) => `${x.type}=${x.status} ${x.reason ?? ''}`).join(', ')}`),
  ].join('\n'));
}

/** Waits until `count` nodes are Ready (and untainted: pods can be scheduled to them); on the deadline prints why they are not (printWhyNotReady) and fails. */
export async function waitForReadyNodes(c: TestCluster, count: number, logs: string[], timeoutMs = 150_000): Promise<string[]> {
  const ready = async () => (await c.client.list<Node & KObject>(R.nodes)).items
    .filter(readyForPods).map((n) => n.metadata?.name ?? '');
  try {
    return await pollUntil(async () => { const r = await ready(); return r.length >= count ? r.sort() : undefined; }, timeoutMs, `${count} Ready nodes`, 250);
  } catch (e) {
    await printWhyNotReady(c, logs);
    throw e;
  }
}

/** One suite's cluster with one sandbox node: `c` stands for the cluster once beforeAll has started it. */
export interface SandboxSuite {
  readonly c: TestCluster;
  readonly cfg: SandboxConfig;
  readonly logs: string[];
  /** kubectl that must succeed; its stdout. */
  readonly ok: (args: string[], input?: string, timeoutMs?: number) => Promise<string>;
}

/**
 * Registers the beforeAll that starts an in-process cluster with one sandbox node (sandbox network
 * `uniqueSandbox(n)`) and waits until the node is Ready, and the afterAll that tears it down and
 * checks the host is clean. Hooks the suite registers after this call run after the node is Ready.
 */
export function sandboxCluster(n: number, opts: { core?: Partial<CoreOptions>; okTimeoutMs?: number } = {}): SandboxSuite {
  const cfg = uniqueSandbox(n);
  const logs: string[] = [];
  let cluster: TestCluster | undefined;
  const current = (): TestCluster => {
    if (!cluster) throw new Error('the sandbox cluster is not started (used outside the suite\'s hooks and tests)');
    return cluster;
  };
  const c = new Proxy({} as TestCluster, { get: (_t, key) => Reflect.get(current(), key) as unknown });
  beforeAll(async () => {
    cluster = await startTestCluster({
      ...opts.core,
      nodes: { sandbox: cfg, nodes: 1, provider: 'sandbox', readyTimeoutMs: 90_000, log: (l) => logs.push(l) },
    });
    await waitForReadyNode(cluster, 180_000).catch(async (e: unknown) => {
      await printWhyNotReady(cluster!, logs);
      throw e;
    });
  }, 300_000);
  afterAll(async () => {
    if (cluster) await stopClusterWithNodes(cluster, cfg, logs);
  }, 120_000);
  return { c, cfg, logs, ok: (args, input, timeoutMs = opts.okTimeoutMs ?? 60_000) => current().kubectlOk(args, { input, timeoutMs }) };
}

/**
 * A Service `name` (port 443) in front of one ready pod that relays each TCP connection on 8443 to `host:port` (a
 * server the test runs on the host's side of the sandbox bridge), rolled out.
 */
export async function startTcpRelay(ok: SandboxSuite['ok'], name: string, host: string, port: number): Promise<void> {
  const relay = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'nc', image: 'docker.io/flotilla/counter:1', command: ['/bin/busybox', 'nc', '-ll', '-p', '8443', '-e', '/bin/busybox', 'nc', host, String(port)],
        ports: [{ containerPort: 8443 }], readinessProbe: { tcpSocket: { port: 8443 }, periodSeconds: 1 } }],
    } } },
  };
  await ok(['apply', '-f', '-'], JSON.stringify(relay));
  await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 443, targetPort: 8443 }] } }));
  await ok(['rollout', 'status', `deployment/${name}`, '--timeout=150s']);
}
