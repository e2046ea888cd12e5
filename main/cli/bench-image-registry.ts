// The registry `bench image` pushes to and the nodes pull from: Debian's docker-registry (the CNCF
// distribution registry, as the built-in one uses) on the sandbox bridge's gateway address, its storage
// in the bench's temp dir; stopped by its PID. Nodes reach it as plain HTTP through containerd's
// certs.d hosts.toml (read afresh on every pull).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { PollFailure, pollUntil } from '../protocol/poll';
import { hostPathOf } from '../nodes/providers/sandbox/node-state';
import { NODE_CONTAINERD } from '../nodes/node-paths';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface BenchRegistry { address: string; url: string; stop(): Promise<void> }

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(new URL('/v2/', url), { timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export async function startBenchRegistry(dir: string, host: string): Promise<BenchRegistry> {
  if (!fs.existsSync(REGISTRY_BIN)) throw new Error(`${REGISTRY_BIN} is missing: apt-get install docker-registry (or npm run setup)`);
  const port = await freePort(host);
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, ['version: 0.1', 'log:', '  level: error', '  accesslog:', '    disabled: true', 'storage:', '  filesystem:',
    `    rootdirectory: ${JSON.stringify(path.join(dir, 'data'))}`, 'http:', `  addr: ${JSON.stringify(`${host}:${port}`)}`, ''].join('\n'));
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  const url = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    process.kill(child.pid, 'SIGTERM');
    await gone;
  };
  try {
    await pollUntil(async () => {
      if (child.exitCode !== null) throw new PollFailure(`docker-registry exited (${child.exitCode}): ${stderr.trim()}`);
      return (await answers(url)) ? true : undefined;
    }, 15_000, `docker-registry answering on ${url}`, 50);
  } catch (e) {
    await stop();
    throw e;
  }
  return { address: `${host}:${port}`, url, stop };
}

/** Lets a sandbox node's containerd pull from the plain-HTTP registry. */
export function trustRegistryOnNode(dataDir: string, node: string, reg: BenchRegistry): void {
  const file = hostPathOf(dataDir, node, `${NODE_CONTAINERD.certsDir}/${reg.address}/hosts.toml`);
  if (!file) throw new Error(`node ${node}: ${NODE_CONTAINERD.certsDir} is not reachable from the host`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `server = ${JSON.stringify(reg.url)}\n\n[host.${JSON.stringify(reg.url)}]\n  capabilities = ["pull", "resolve"]\n`);
}
