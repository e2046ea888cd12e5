// A real `flotilla serve` child process for the benches that measure what a user runs (first-cluster,
// footprint): the built bundle (out/main/cli.js) on a temp data dir, every port chosen free, the sandbox
// nodes on a bridge, subnet and names of their own; started again on the same data dir for a warm
// restart; stopped by its PID; its machines removed and its data dir deleted at the end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { HttpClient } from '../client/http';
import { R } from '../client/refs';
import { readKubeconfig } from '../apiserver/kubeconfig';
import { downMachines } from '../nodes/down';
import { runCmd } from '../nodes/exec';
import { defaultAgentBundle } from '../nodes/artifacts';
import { PollFailure, pollUntil } from '../protocol/poll';
import { freeSubnet } from './bench-sandbox';
import { builtCli } from './bench-build';

/** The bundle `npm start` runs (the benches time what users run, not the sources through tsx), or another build's `cli.js`. */
export function serveBundle(other?: string): string {
  if (other) {
    const file = path.resolve(other);
    const agent = path.join(path.dirname(file), '..', 'agent', 'agent.js');
    if (!fs.existsSync(file) || !fs.existsSync(agent)) throw new Error(`${file} is not the cli.js of a build (with ../agent/agent.js beside it)`);
    return file;
  }
  const file = builtCli();
  if (!fs.existsSync(file)) throw new Error(`no ${file}: run npm run build first`);
  if (!fs.existsSync(defaultAgentBundle())) throw new Error(`no agent bundle at ${defaultAgentBundle()}: run npm run build first`);
  return file;
}

export interface BenchServe {
  readonly dataDir: string;
  readonly kubeconfig: string;
  /** The running server's PID (changes with restart). */
  pid(): number;
  /** Everything it printed so far (both runs). */
  output(): string;
  /** Resolves with a client once the API answers a list; rejects when the process exits first. */
  waitForApi(timeoutMs: number): Promise<HttpClient>;
  /** SIGTERM, and waits for it to exit (SIGKILL after 15 s). */
  terminate(): Promise<void>;
  /** Starts `serve` again on the same data dir and arguments. */
  restart(): void;
  /** Machines deleted through the API (if it answers), the server stopped, the rest brought down, the temp dir removed. */
  cleanup(): Promise<void>;
}

export interface BenchServeOptions {
  /** Temp dir name prefix. */
  prefix: string;
  /** Further `serve` arguments (`--nodes 2`, `--hollow-nodes 5`). */
  args: string[];
  /** Another build's out/main/cli.js to run (default: this build's). */
  bundle?: string;
}

export async function startBenchServe(o: BenchServeOptions): Promise<BenchServe> {
  const cli = serveBundle(o.bundle);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), o.prefix));
  const dataDir = path.join(dir, 'data');
  const id = `fltf${process.pid % 10000}`;
  const env = { ...process.env, FLOTILLA_SANDBOX_BRIDGE: id, FLOTILLA_SANDBOX_SUBNET: await freeSubnet(), FLOTILLA_SANDBOX_PREFIX: id };
  const argv = [cli, 'serve', '--data-dir', dataDir, '--api-port', '0', '--ui-port', '0', '--ingress-port', '0', '--ingress-https-port', '0',
    '--registry-port', '0', ...o.args];
  let out = '';
  let child: ChildProcess;
  let exited: Promise<void>;
  let client: HttpClient | undefined;
  const start = (): void => {
    child = spawn(process.execPath, argv, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    fs.rmSync(path.join(dataDir, 'kubeconfig'), { force: true }); // a restart must not find the last run's (its port is gone)
  };
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  start();
  const terminate = async (): Promise<void> => {
    client?.close();
    client = undefined;
    if (!running() || !child.pid) return;
    const pid = child.pid;
    process.kill(pid, 'SIGTERM');
    const killer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, 15_000);
    await exited;
    clearTimeout(killer);
  };
  return {
    dataDir,
    kubeconfig: path.join(dataDir, 'kubeconfig'),
    pid: () => child.pid ?? 0,
    output: () => out,
    async waitForApi(timeoutMs) {
      const kc = path.join(dataDir, 'kubeconfig');
      return pollUntil(async () => {
        if (!running()) throw new PollFailure(`flotilla serve exited (${child.exitCode ?? child.signalCode}):\n${out.slice(-4000)}`);
        if (!fs.existsSync(kc)) return undefined;
        client ??= new HttpClient(readKubeconfig(kc));
        await client.list(R.namespaces, { limit: 1 });
        return client;
      }, timeoutMs, 'the API server to answer', 10);
    },
    terminate,
    restart: start,
    async cleanup() {
      try {
        if (running()) {
          const c = client ?? (fs.existsSync(path.join(dataDir, 'kubeconfig')) ? new HttpClient(readKubeconfig(path.join(dataDir, 'kubeconfig'))) : undefined);
          if (c) {
            for (const m of (await c.list(R.machines).catch(() => ({ items: [] }))).items) await c.delete(R.machines, m.metadata?.name ?? '').catch(() => undefined);
            await pollUntil(async () => (await c.list(R.machines)).items.length === 0, 90_000, 'machines deleted', 100).catch(() => undefined);
            c.close();
          }
        }
      } finally {
        await terminate();
        const report = await downMachines(dataDir);
        for (const e of report.errors) console.error(`cleanup: ${e}`);
        await runCmd(['ip', 'link', 'del', id]);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
