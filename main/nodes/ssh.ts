// One SSH connection to a node (ssh2) with the host key pinned: exec, SFTP upload, and the raw
// forwardIn/forwardOut the tunnels use.
import { Client, type ClientChannel, type SFTPWrapper } from 'ssh2';
import type { Duplex } from 'node:stream';
import { utils } from 'ssh2';
import type { SshEndpoint } from './types';
import { publicKeyBlob } from './keys';

export interface ExecResult { code: number; stdout: string; stderr: string }

export class SshError extends Error {}

/** What a failed command said: the last lines of its stderr, else of its stdout. */
export function failureDetail(r: ExecResult): string {
  return (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
}

export interface SshSession {
  client: Client;
  exec(command: string, opts?: { input?: string | Buffer; timeoutMs?: number }): Promise<ExecResult>;
  /** exec that throws with the command's stderr on a non-zero exit. */
  run(command: string, opts?: { input?: string | Buffer; timeoutMs?: number }): Promise<string>;
  sftp(): Promise<SFTPWrapper>;
  forwardOut(host: string, port: number): Promise<Duplex>;
  /** The host key the server presented (OpenSSH line), for trust-on-first-use endpoints. */
  hostKey: string;
  close(): void;
  closed: Promise<void>;
}

function keyLine(blob: Buffer): string {
  const parsed = utils.parseKey(blob);
  if (parsed instanceof Error || Array.isArray(parsed)) return '';
  return `${parsed.type} ${blob.toString('base64')}`;
}

export function connectSsh(ep: SshEndpoint, timeoutMs = 10_000): Promise<SshSession> {
  const pinned = ep.hostKey ? publicKeyBlob(ep.hostKey) : undefined;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented = '';
    let settled = false;
    let mismatch = false;
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.once('ready', () => {
      settled = true;
      resolve(session(client, presented, closed));
    });
    client.once('error', (e) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(new SshError(mismatch
        ? `host key of ${ep.host}:${ep.port} does not match the pinned key (refusing to connect)`
        : `ssh to ${ep.user}@${ep.host}:${ep.port}: ${e.message}`));
    });
    client.on('error', () => undefined);
    client.connect({
      host: ep.host, port: ep.port, username: ep.user, privateKey: ep.privateKey,
      readyTimeout: timeoutMs, keepaliveInterval: 5000, keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        presented = keyLine(key);
        if (!pinned) return true;
        mismatch = !key.equals(pinned);
        return !mismatch;
      },
    });
  });
}

function session(client: Client, hostKey: string, closed: Promise<void>): SshSession {
  const exec: SshSession['exec'] = (command, opts = {}) => new Promise((resolve, reject) => {
    client.exec(command, (err, ch: ClientChannel) => {
      if (err) { reject(new SshError(`ssh exec: ${err.message}`)); return; }
      const out: Buffer[] = [];
      const errb: Buffer[] = [];
      let code = -1;
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs) timer = setTimeout(() => { ch.close(); }, opts.timeoutMs);
      ch.on('data', (b: Buffer) => out.push(b));
      ch.stderr.on('data', (b: Buffer) => errb.push(b));
      ch.on('exit', (c: number | null) => { code = c ?? -1; });
      ch.on('close', () => {
        if (timer) clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errb).toString() });
      });
      ch.end(opts.input ?? undefined);
    });
  });
  return {
    client, hostKey, closed, exec,
    async run(command, opts) {
      const r = await exec(command, opts);
      if (r.code !== 0) {
        const detail = failureDetail(r);
        throw new SshError(`\`${command.length > 120 ? `${command.slice(0, 117)}...` : command}\` failed on the node (exit ${r.code})${detail ? `: ${detail}` : ''}`);
      }
      return r.stdout;
    },
    sftp: () => new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(new SshError(`sftp: ${err.message}`)) : resolve(s)))),
    forwardOut: (host, port) => new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => (err ? reject(new SshError(`forward to ${host}:${port} on the node: ${err.message}`)) : resolve(ch)));
    }),
    close: () => client.end(),
  };
}
