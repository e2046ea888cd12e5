// Starts a real `flotilla serve` on free ports with a temp data dir (or again on the data dir and
// ports of one stopped before), for e2e tests and the UI bench; stops it by PID.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { HttpClient } from '../../../main/client/http';
import type { KObject, Node } from '../../../main/api/types';
import { pollUntil } from '../../../main/protocol/poll';

const MACHINES = { group: 'flotilla.dev', version: 'v1alpha1', plural: 'machines', namespaced: false };
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

export const ROOT = path.resolve(__dirname, '../../..');

export interface ServeProcess {
  pid: number;
  dir: string;
  apiUrl: string;
  uiUrl: string;
  client: HttpClient;
  /** The ports it listens on (to start it again on the same ones). */
  apiPort: number;
  uiPort: number;
  output(): string;
  /** Stops the server and removes its data dir (machines made by the test are removed first). */
  stop(): Promise<void>;
  /** Stops the server only (SIGTERM), keeping its data dir to start again on. */
  terminate(): Promise<void>;
}

export interface ServeOptions {
  /** The dir of a ServeProcess stopped with terminate(): start again on its data. */
  dir?: string;
  apiPort?: number;
  uiPort?: number;
  /** No FLOTILLA_SANDBOX_* in its environment: the data dir picks its own free sandbox network, as a user's does. */
  defaultSandbox?: boolean;
  /**
   * Run the bundle the app ships (out/main/cli.js, with its own renderer, assets and agent) instead of the
   * sources; default: $FLOTILLA_E2E_BUNDLE=1, which `npm test` sets after building.
   */
  bundle?: boolean;
  /** Added to (or, with undefined values, removed from) the server's environment. */
  env?: Record<string, string | undefined>;
}

/** The argv that starts `flotilla serve`: from the sources (tsx) or from the bundle in out/. */
function serveArgv(bundle: boolean): string[] {
  if (!bundle) return ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'serve'];
  const cli = path.join(ROOT, 'out/main/cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
  return [cli, 'serve'];
}

/** Builds the renderer when out/renderer is missing (npm test builds it first). */
export function ensureRendererBuilt(): void {
  if (fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) return;
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}

function readKubeconfig(file: string): { token: string; caCertPem: string } {
  const text = fs.readFileSync(file, 'utf8');
  const token = /token:\s*(\S+)/.exec(text)?.[1];
  const ca = /certificate-authority-data:\s*(\S+)/.exec(text)?.[1];
  if (!token || !ca) throw new Error(`kubeconfig ${file} has no token or CA`);
  return { token, caCertPem: Buffer.from(ca, 'base64').toString('utf8') };
}

export async function startServe(extraArgs: string[], timeoutMs = 60_000, opts: ServeOptions = {}): Promise<ServeProcess> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-'));
  // Sandbox nodes of this run get their own bridge, subnet and names: no collision with other runs.
  const n = 20 + (process.pid % 200);
  const sandboxEnv = { FLOTILLA_SANDBOX_BRIDGE: `fltui${n}`, FLOTILLA_SANDBOX_SUBNET: `10.252.${n}.0/24`, FLOTILLA_SANDBOX_PREFIX: `fltui${n}` };
  const bundle = opts.bundle ?? process.env.FLOTILLA_E2E_BUNDLE === '1';
  // The bundle finds its own renderer (out/renderer); from the sources the build's is named.
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.defaultSandbox ? {} : sandboxEnv), ...(bundle ? {} : { FLOTILLA_UI_DIR: path.join(ROOT, 'out/renderer') }) };
  if (bundle) delete env.FLOTILLA_UI_DIR;
  if (opts.defaultSandbox) for (const k of Object.keys(sandboxEnv)) delete env[k];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const dataDir = path.join(dir, 'data');
  const child: ChildProcess = spawn(process.execPath, [...serveArgv(bundle), '--data-dir', dataDir, '--api-port', String(opts.apiPort ?? 0), '--ui-port', String(opts.uiPort ?? 0),
    '--ingress-port', '0', '--ingress-https-port', '0', '--registry-port', '0', ...extraArgs], {
    cwd: bundle ? dir : ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const pid = child.pid;
  if (!pid) throw new Error('could not start flotilla serve');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const stop = async () => {
    await removeMachines();
    await terminate();
    // The bridge the sandbox provider made for this run (if it made one).
    if (!opts.defaultSandbox) spawnSync('ip', ['link', 'del', sandboxEnv.FLOTILLA_SANDBOX_BRIDGE], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const conn: { client?: HttpClient } = {};
  /** Machines made by the test are deleted through the API (their controller frees the node) before the server stops. */
  async function removeMachines(): Promise<void> {
    const client = conn.client;
    if (!client || child.exitCode !== null) return;
    const list = async () => (await client.list(MACHINES)).items.map((m) => m.metadata?.name ?? '');
    try {
      for (const m of await list()) await client.delete(MACHINES, m).catch(() => undefined);
      // A machine of a provider that is not installed here never had anything to clean up; its
      // controller may still hold it (finalizer) after failing: let it go.
      const items = (await client.list(MACHINES)).items as Array<{ metadata?: { name?: string }; spec?: { provider?: string } }>;
      for (const m of items) {
        if (m.spec?.provider !== 'sandbox' && m.metadata?.name) await client.patch(MACHINES, m.metadata.name, { metadata: { finalizers: null } }, 'merge').catch(() => undefined);
      }
      await pollUntil(async () => (await list()).length === 0, 90_000, 'the machines to be removed', 200)
        .catch(async () => process.stderr.write(`machines still present after 90 s: ${(await list()).join(', ')}\n`));
    } catch (e) {
      process.stderr.write(`removing machines: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }

  const urls = await pollUntil(() => {
    const api = /Flotilla API server: (\S+)/.exec(out)?.[1];
    const ui = /Flotilla UI: (\S+)/.exec(out)?.[1];
    return child.exitCode !== null || (api && ui ? { api, ui } : undefined);
  }, timeoutMs, 'flotilla serve to print its URLs', 50).catch(async () => {
    await stop();
    throw new Error(`flotilla serve did not print its URLs in time:\n${out}`);
  });
  if (urls === true) throw new Error(`flotilla serve exited (${child.exitCode}):\n${out}`);
  const apiUrl = urls.api;
  const uiUrl = urls.ui;
  const kc = readKubeconfig(path.join(dataDir, 'kubeconfig'));
  const c = new HttpClient({ server: apiUrl, token: kc.token, caCertPem: kc.caCertPem });
  conn.client = c;
  return {
    pid, dir, apiUrl, uiUrl, client: c,
    apiPort: Number(new URL(apiUrl).port),
    uiPort: Number(new URL(uiUrl).port),
    output: () => out,
    async stop() {
      await stop();
      c.close();
    },
    async terminate() {
      await terminate();
      c.close();
    },
  };
}

/** The name of the serve's sandbox node once it is Ready (hollow nodes left out). */
export function readySandboxNode(serve: ServeProcess, timeoutMs = 240_000): Promise<string> {
  return pollUntil(async () => {
    const n = (await serve.client.list<Node & KObject>(NODES)).items.find((x) => x.metadata?.labels?.['flotilla.dev/provider'] === 'sandbox');
    return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? n.metadata?.name : undefined;
  }, timeoutMs, 'the sandbox node Ready', 200);
}

/**
 * Two serves for the UI-on-another-cluster tests: A with no nodes and an empty home of its own (its kubectl files are
 * its own: nothing of this machine's ~/.kube leaks in), and B started with `bArgs`.
 */
export async function startServePair(bArgs: string[]): Promise<[ServeProcess, ServeProcess]> {
  const home = fs.mkdtempSync(path.join(ROOT, 'test-results', 'home-'));
  try {
    return await Promise.all([
      startServe(['--nodes', '0'], 60_000, { env: { HOME: home, KUBECONFIG: undefined } }),
      startServe(bArgs),
    ]);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
