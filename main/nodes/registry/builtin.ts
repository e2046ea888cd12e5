// The built-in registry: Debian's docker-registry (the CNCF distribution registry) as a child process on 127.0.0.1:<port>,
// its storage in <data-dir>/registry so images persist, stopped by PID with the core. Nodes reach it at the address they
// see the host at (a sandbox bridge's gateway): exposeOn() starts one more docker-registry on that address and the same
// storage (no cache is configured, so each reads the files afresh), so nothing listens on 0.0.0.0 and a node's pull goes
// straight to a registry, not through a copy in this process (measured: a forwarder here tripled the time of three nodes'
// pulls of a 50 MB layer while the core was busy).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { request } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { pollUntil, PollFailure } from '../../protocol/poll';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const DEFAULT_REGISTRY_PORT = 5000;

export interface BuiltinRegistryOptions {
  dataDir: string;
  port: number;
  binary?: string;
  log?: (line: string) => void;
}

export interface BuiltinRegistry {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Also accept connections on address:port (idempotent). */
  exposeOn(address: string): Promise<void>;
  stop(): Promise<void>;
}

export function registryDir(dataDir: string): string {
  return path.join(dataDir, 'registry');
}

function configYaml(dir: string, address: string, port: number): string {
  return [
    '# The built-in registry of Flotilla (written at every start).',
    'version: 0.1',
    'log:', '  level: warn', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${JSON.stringify(dir)}`, '  delete:', '    enabled: true',
    'http:', `  addr: ${JSON.stringify(`${address}:${port}`)}`,
    '',
  ].join('\n');
}

function portInUse(host: string, port: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new Error(`the built-in registry cannot listen on ${host}:${port}: the port is in use (pick another with ${flag}, 0 for none)`)
      : new Error(`the built-in registry cannot listen on ${host}:${port}: ${e.message}`)));
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

function v2Answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(new URL('/v2/', url), { timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** A registry of ours left running by a core that was killed (its PID file names it, its command line has our config): stopped. */
async function stopLeftover(pidFile: string, config: string): Promise<void> {
  let pid: number;
  try { pid = Number(fs.readFileSync(pidFile, 'utf8').trim()); } catch { return; }
  const ours = (): boolean => {
    try { return pid > 0 && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(config); } catch { return false; }
  };
  if (ours()) {
    process.kill(pid, 'SIGTERM');
    await pollUntil(() => !ours(), 5000, `the registry left running (pid ${pid}) to exit`);
  }
  fs.rmSync(pidFile, { force: true });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => { if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); }, 5000);
  await gone;
  clearTimeout(timer);
}

interface RegistryProcess { child: ChildProcess; url: string; stop(): Promise<void> }

/**
 * One docker-registry serving `dir` on address:port (its config and PID file named after the address), answering /v2/
 * before this resolves; one of ours left running by a killed core is stopped first.
 */
async function spawnRegistry(binary: string, dir: string, address: string, port: number, log?: (line: string) => void): Promise<RegistryProcess> {
  const name = address === '127.0.0.1' ? 'registry' : `registry-${address}`;
  const config = path.join(dir, `${name === 'registry' ? 'config' : `config-${address}`}.yml`);
  const pidFile = path.join(dir, `${name}.pid`);
  await stopLeftover(pidFile, config);
  await portInUse(address, port, '--registry-port');
  fs.writeFileSync(config, configYaml(dir, address, port));
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    for (const l of d.toString().split('\n')) if (l.trim()) log?.(`registry${address === '127.0.0.1' ? '' : ` (${address})`}: ${l.trim()}`);
  });
  child.on('error', () => undefined);
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);
  const url = `http://${address}:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    fs.rmSync(pidFile, { force: true });
  };
  try {
    await pollUntil(async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new PollFailure(`docker-registry exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
      return v2Answers(url);
    }, 20_000, `the built-in registry answering on ${url}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, url, stop };
}

/** Starts the registry; rejects with a message naming the port when it is taken, or saying how to install the binary. */
export async function startBuiltinRegistry(o: BuiltinRegistryOptions): Promise<BuiltinRegistry> {
  const binary = o.binary ?? REGISTRY_BINARY;
  if (!fs.existsSync(binary)) {
    throw new Error(`the built-in registry needs ${binary} (Debian's docker-registry package): run \`npm run setup\` or \`apt-get install docker-registry\`, or start with --registry-port 0`);
  }
  const dir = registryDir(o.dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Registries a killed core left on the addresses it exposed (the one on 127.0.0.1 spawnRegistry stops itself).
  for (const f of fs.readdirSync(dir).filter((n) => /^registry-.+\.pid$/.test(n))) {
    await stopLeftover(path.join(dir, f), path.join(dir, `config-${f.slice('registry-'.length, -'.pid'.length)}.yml`));
  }
  const main = await spawnRegistry(binary, dir, '127.0.0.1', o.port, o.log);
  const exposed = new Map<string, Promise<RegistryProcess>>();
  const stop = async (): Promise<void> => {
    const all = await Promise.allSettled([...exposed.values()]);
    exposed.clear();
    for (const r of all) if (r.status === 'fulfilled') await r.value.stop();
    await main.stop();
  };
  const exposeOn = async (address: string): Promise<void> => {
    if (address === '127.0.0.1') return;
    let started = exposed.get(address);
    if (!started) {
      started = spawnRegistry(binary, dir, address, o.port, o.log);
      exposed.set(address, started);
      started.catch(() => exposed.delete(address));
    }
    await started;
  };
  return { port: o.port, url: main.url, pid: main.child.pid ?? 0, exposeOn, stop };
}
