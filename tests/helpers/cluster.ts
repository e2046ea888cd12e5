// Test fixture: a real control plane (store + HTTPS API server) in this process on a free port,
// a kubectl runner pointed at it, and our own HTTP client; startHollowCluster adds hollow nodes
// (simulated kubelets) for tests of the control loops working together.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { startCore } from '../../main/core';
import type { Core, CoreOptions } from '../../main/core';
import { HttpClient } from '../../main/client/http';
import type { HollowNodes, HollowOptions } from '../../main/hollow';
import { startHollowNodes } from '../../main/hollow';
import type { Node } from '../../main/api/types';
import { R } from '../../main/client/refs';
import { hooked } from './hooked';
import { waitFor } from './wait';
import { uniqueClusterCIDR } from './unique-network';
import { readyForPods } from './node-ready';

export { waitFor } from './wait';

export interface TestCluster {
  core: Core;
  dir: string;
  client: HttpClient;
  /** What the core (and its control loops) logged. */
  logs: string[];
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** kubectl that must succeed: its stdout, or an error with the command, exit code and output. */
  kubectlOk(args: string[], opts?: KubectlOptions): Promise<string>;
  stop(): Promise<void>;
}

export interface KubectlOptions { input?: string; timeoutMs?: number; token?: string }

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const KUBECTL = '/usr/bin/kubectl';

export async function startTestCluster(opts: Partial<CoreOptions> = {}): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-test-'));
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  // A cluster with nodes gets a pod network of its own: clusters of files running side by side never share one.
  const clusterCIDR = opts.clusterCIDR ?? (opts.nodes ? uniqueClusterCIDR() : undefined);
  const core = await startCore({ dataDir: path.join(dir, 'data'), apiPort: 0, log, ...opts, clusterCIDR }).catch((e: unknown) => {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const client = new HttpClient({ server: core.api.url, token: core.auth.adminToken, caCertPem: core.caCertPem });
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const kubectl = (args: string[], o: KubectlOptions = {}): Promise<KubectlResult> =>
    runKubectl(args, { KUBECONFIG: core.kubeconfigPath, HOME: home }, o, o.token ? core.api.url : undefined);
  return {
    core, dir, client, logs, kubectl,
    async kubectlOk(args, o = {}) {
      const r = await kubectl(args, o);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      client.close();
      await core.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One test cluster for all tests of the file: started before them, stopped after them; to be used inside tests only. */
export function testClusterAll(opts: Partial<CoreOptions> = {}): TestCluster {
  return hooked({ per: 'all', what: 'the test cluster', start: () => startTestCluster(opts), stop: (c) => c.stop() });
}

function runKubectl(
  args: string[], env: Record<string, string>, o: { input?: string; timeoutMs?: number; token?: string }, server?: string,
): Promise<KubectlResult> {
  const full = o.token ? [`--token=${o.token}`, `--server=${server}`, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, full, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

export interface HollowCluster extends TestCluster {
  hollow: HollowNodes;
}

/** A test cluster with `count` hollow nodes registered (and ready) on it, stopped with it. */
export async function startHollowCluster(count: number, opts: Partial<CoreOptions> & { hollow?: Partial<HollowOptions> } = {}): Promise<HollowCluster> {
  const { hollow: hollowOpts, ...coreOpts } = opts;
  const c = await startTestCluster(coreOpts);
  const hollow = startHollowNodes(c.core, { count, ...(hollowOpts ?? {}) });
  try {
    await hollow.ready;
    await hollow.schedulable;
  } catch (e) {
    await hollow.stop();
    await c.stop();
    throw e;
  }
  return {
    ...c, hollow,
    async stop() {
      await hollow.stop();
      await c.stop();
    },
  };
}

/** Waits until some Node of the cluster is Ready (a sandbox node boots in the background after startTestCluster returns). */
export async function waitForReadyNode(c: TestCluster, timeoutMs = 120_000): Promise<void> {
  await waitFor(async () => (await c.client.list<Node>(R.nodes)).items.some(readyForPods),
    'a Ready node', timeoutMs, 250);
}
