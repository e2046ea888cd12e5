// Starts a real `flotilla serve` on free ports with a temp data dir, for e2e tests and the UI bench;
// stops it by PID.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { HttpClient } from '../../../main/client/http';

export const ROOT = path.resolve(__dirname, '../../..');

export interface ServeProcess {
  pid: number;
  dir: string;
  apiUrl: string;
  uiUrl: string;
  client: HttpClient;
  output(): string;
  stop(): Promise<void>;
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

export async function startServe(extraArgs: string[], timeoutMs = 60_000): Promise<ServeProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ui-'));
  const dataDir = path.join(dir, 'data');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'serve', '--data-dir', dataDir, '--api-port', '0', '--ui-port', '0', ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FLOTILLA_UI_DIR: path.join(ROOT, 'out/renderer') },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const pid = child.pid;
  if (!pid) throw new Error('could not start flotilla serve');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
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
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let apiUrl: string | undefined;
  let uiUrl: string | undefined;
  while (!(apiUrl && uiUrl)) {
    apiUrl = /Flotilla API server: (\S+)/.exec(out)?.[1];
    uiUrl = /Flotilla UI: (\S+)/.exec(out)?.[1];
    if (child.exitCode !== null) throw new Error(`flotilla serve exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`flotilla serve did not print its URLs in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const kc = readKubeconfig(path.join(dataDir, 'kubeconfig'));
  const client = new HttpClient({ server: apiUrl, token: kc.token, caCertPem: kc.caCertPem });
  return {
    pid, dir, apiUrl, uiUrl, client,
    output: () => out,
    async stop() {
      client.close();
      await stop();
    },
  };
}
