// A real OCI distribution registry (Debian's docker-registry) that a test starts on this machine and stops by PID.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface TestRegistryOptions {
  /** Address to listen on (default 127.0.0.1; a sandbox node reaches the host on its bridge's gateway address). */
  host?: string;
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { certPem: string; keyPem: string; caPem?: string };
  /** Require basic auth (htpasswd, bcrypt) for this user. */
  auth?: { username: string; password: string };
}

export interface TestRegistry {
  /** host:port, as an image reference's registry part. */
  address: string;
  host: string;
  port: number;
  /** http://… or https://… */
  url: string;
  dir: string;
  pid: number;
  stop(): Promise<void>;
}

function configYaml(dir: string, addr: string, opts: TestRegistryOptions, htpasswdFile?: string): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${JSON.stringify(addr)}`,
  ];
  if (opts.tls) {
    lines.push('  tls:', `    certificate: ${JSON.stringify(join(dir, 'tls.crt'))}`, `    key: ${JSON.stringify(join(dir, 'tls.key'))}`);
  }
  if (htpasswdFile) {
    lines.push('auth:', '  htpasswd:', '    realm: flotilla-test', `    path: ${JSON.stringify(htpasswdFile)}`);
  }
  return lines.join('\n') + '\n';
}

function v2Status(url: string, caPem?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL('/v2/', url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: 'GET', timeout: 2000, ...(caPem ? { ca: caPem } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Starts docker-registry with its storage in a fresh temp dir; resolves once /v2/ answers (200, or 401 with auth). */
export async function startTestRegistry(opts: TestRegistryOptions = {}): Promise<TestRegistry> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-registry-'));
  let htpasswdFile: string | undefined;
  if (opts.auth) {
    htpasswdFile = join(dir, 'htpasswd');
    const line = execFileSync('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password], { encoding: 'utf8' });
    writeFileSync(htpasswdFile, line);
  }
  if (opts.tls) {
    writeFileSync(join(dir, 'tls.crt'), opts.tls.certPem);
    writeFileSync(join(dir, 'tls.key'), opts.tls.keyPem, { mode: 0o600 });
  }
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, configYaml(dir, `${host}:${port}`, opts, htpasswdFile));
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  let exited: string | undefined;
  child.once('exit', (code, signal) => { exited = `exited (${code ?? signal})`; });
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([gone, waitFor(() => child.exitCode !== null || child.signalCode !== null, 'registry exit', 5000).catch(() => {
        if (child.pid) process.kill(child.pid, 'SIGKILL');
      })]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`docker-registry ${exited}: ${stderr.trim()}`);
      const s = await v2Status(url, opts.tls?.caPem ?? opts.tls?.certPem).catch(() => 0);
      return s === 200 || s === 401;
    }, `docker-registry answering on ${url}`, 15_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}${exited ? '' : `; stderr: ${stderr.trim()}`}`);
  }
  return { address: `${host.includes(':') ? `[${host}]` : host}:${port}`, host, port, url, dir, pid: child.pid ?? 0, stop };
}

/** Pushes an OCI archive (e.g. out/agent/images/hello.tar, every platform of its index) with skopeo; resolves to `address/repoTag`. */
export function pushOciArchive(reg: TestRegistry, archive: string, repoTag: string, creds?: { username: string; password: string }): string {
  const dest = `${reg.address}/${repoTag}`;
  const args = ['copy', '--quiet', '--all', '--dest-tls-verify=false', ...(creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : []), `oci-archive:${archive}`, `docker://${dest}`];
  execFileSync('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  return dest;
}

/** Lets sandbox nodes pull from a plain-HTTP registry: containerd's certs.d/<host:port>/hosts.toml on each (read afresh on each pull). */
export function trustOnNodes(hostsTomlPaths: readonly string[], registryUrl: string): void {
  const toml = `server = ${JSON.stringify(registryUrl)}\n\n[host.${JSON.stringify(registryUrl)}]\n  capabilities = ["pull", "resolve"]\n`;
  for (const p of hostsTomlPaths) {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, toml);
  }
}

/**
 * An OCI archive whose image has an extra environment variable in every platform's config: the same layers under a new
 * image ID (containerd's CRI keeps one image per ID, so a test's status.image is not another test's tag). Written to dir.
 */
export function variantArchive(archive: string, dir: string, env: string): string {
  const layout = join(dir, 'layout');
  mkdirSync(layout, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', layout]);
  const blob = (digest: string): string => join(layout, 'blobs', ...digest.split(':'));
  const put = (value: unknown): { digest: string; size: number } => {
    const data = Buffer.from(JSON.stringify(value));
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    writeFileSync(blob(digest), data);
    return { digest, size: data.length };
  };
  type Desc = { mediaType: string; digest: string; size: number };
  const read = <T>(digest: string): T => JSON.parse(readFileSync(blob(digest), 'utf8')) as T;
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<Desc & { annotations?: Record<string, string> }> };
  for (const top of index.manifests) {
    const inner = read<{ manifests: Desc[] }>(top.digest);
    for (const m of inner.manifests) {
      const manifest = read<{ config: Desc }>(m.digest);
      const config = read<{ config: { Env?: string[] } }>(manifest.config.digest);
      config.config.Env = [...(config.config.Env ?? []), env];
      Object.assign(manifest.config, put(config));
      Object.assign(m, put(manifest));
    }
    Object.assign(top, put(inner));
  }
  writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
  const out = join(dir, 'variant.tar');
  execFileSync('tar', ['-cf', out, '-C', layout, '.']);
  return out;
}
