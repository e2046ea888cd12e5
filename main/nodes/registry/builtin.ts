// The built-in registry: Debian's docker-registry (the CNCF distribution registry) as a child process on 127.0.0.1:<port>,
// its storage in <data-dir>/registry so images persist, stopped by PID with the core. Nodes reach it at the address they
// see the host at (a sandbox bridge's gateway): exposeOn() adds a TCP forwarder there, so nothing listens on 0.0.0.0.
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

function configYaml(dir: string, port: number): string {
  return [
    '# The built-in registry of Flotilla (written at every start).',
    'version: 0.1',
    'log:', '  level: warn', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${JSON.stringify(dir)}`, '  delete:', '    enabled: true',
    'http:', `  addr: ${JSON.stringify(`127.0.0.1:${port}`)}`,
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

/** Starts the registry; rejects with a message naming the port when it is taken, or saying how to install the binary. */
export async function startBuiltinRegistry(o: BuiltinRegistryOptions): Promise<BuiltinRegistry> {
  const binary = o.binary ?? REGISTRY_BINARY;
  if (!fs.existsSync(binary)) {
    throw new Error(`the built-in registry needs ${binary} (Debian's docker-registry package): run \`npm run setup\` or \`apt-get install docker-registry\`, or start with --registry-port 0`);
  }
  const dir = registryDir(o.dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'config.yml');
  const pidFile = path.join(dir, 'registry.pid');
  await stopLeftover(pidFile, config);
  await portInUse('127.0.0.1', o.port, '--registry-port');
  fs.writeFileSync(config, configYaml(dir, o.port));
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    for (const l of d.toString().split('\n')) if (l.trim()) o.log?.(`registry: ${l.trim()}`);
  });
  child.on('error', () => undefined);
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);
  const url = `http://127.0.0.1:${o.port}`;
  const forwarders = new Map<string, net.Server>();
  const sockets = new Set<net.Socket>();
  const stop = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await Promise.all([...forwarders.values()].map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    forwarders.clear();
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
  const exposeOn = async (address: string): Promise<void> => {
    if (forwarders.has(address) || address === '127.0.0.1') return;
    const srv = net.createServer((conn) => {
      const up = net.connect({ host: '127.0.0.1', port: o.port });
      sockets.add(conn).add(up);
      const end = (): void => { conn.destroy(); up.destroy(); sockets.delete(conn); sockets.delete(up); };
      conn.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
      conn.pipe(up).pipe(conn);
    });
    forwarders.set(address, srv);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', (e: NodeJS.ErrnoException) => {
        forwarders.delete(address);
        reject(new Error(`the built-in registry cannot listen on ${address}:${o.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`));
      });
      srv.listen(o.port, address, () => resolve());
    });
  };
  return { port: o.port, url, pid: child.pid ?? 0, exposeOn, stop };
}
