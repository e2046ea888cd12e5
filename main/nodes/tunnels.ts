// A node's lasting SSH connection: the reverse tunnel that gives the node the API server on its
// 127.0.0.1:6443, forwardOut to the agent's 127.0.0.1:10250 (dialAgent), and reconnection with
// backoff when SSH drops (the tunnel is re-established on every reconnect).
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { SshEndpoint } from './types';
import { connectSsh, type SshSession } from './ssh';
import { NODE } from './node-paths';
import { errorMessage } from './exec';
import { pollUntil } from '../protocol/poll';

/** How the streaming/log proxy reaches a node's agent. */
export type NodeDialer = (node: string) => Promise<Duplex>;

export interface NodeConnectionOptions {
  name: string;
  /** Where to connect (asked again on every reconnect: a VM's port may change). */
  endpoint: () => Promise<SshEndpoint>;
  /** The API server's local port on this host. */
  apiPort: number;
  log?: (line: string) => void;
  /** Backoff bounds for reconnects, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class NodeConnection {
  private current?: SshSession;
  private connecting?: Promise<SshSession>;
  private closed = false;
  private backoffMs: number;
  private retryTimer?: NodeJS.Timeout;
  private readonly waiters = new Set<(s: SshSession) => void>();
  private readonly sockets = new Set<net.Socket>();
  /** Number of successful (re)connections, for tests and status. */
  connects = 0;

  constructor(private readonly opts: NodeConnectionOptions) {
    this.backoffMs = opts.minBackoffMs ?? 250;
  }

  private log(line: string): void {
    this.opts.log?.(`node ${this.opts.name}: ${line}`);
  }

  /** Connects (once) and opens the reverse API tunnel; rejects when the first attempt fails. */
  async session(): Promise<SshSession> {
    if (this.closed) throw new Error(`connection to node ${this.opts.name} is closed`);
    if (this.current) return this.current;
    this.connecting ??= this.open().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /** A session, waiting up to timeoutMs for a reconnect in progress. */
  async ready(timeoutMs = 10_000): Promise<SshSession> {
    if (this.current) return this.current;
    try {
      return await this.session();
    } catch (e) {
      if (this.closed) throw e;
      this.scheduleReconnect();
      return new Promise<SshSession>((resolve, reject) => {
        const t = setTimeout(() => { this.waiters.delete(done); reject(new Error(`node ${this.opts.name} is unreachable over SSH: ${errorMessage(e)}`)); }, timeoutMs);
        const done = (s: SshSession): void => { clearTimeout(t); resolve(s); };
        this.waiters.add(done);
      });
    }
  }

  private async open(): Promise<SshSession> {
    const ep = await this.opts.endpoint();
    const s = await connectSsh(ep);
    try {
      await this.reverseApi(s);
    } catch (e) {
      s.close();
      throw e;
    }
    if (this.closed) { s.close(); throw new Error(`connection to node ${this.opts.name} is closed`); }
    this.current = s;
    this.connects += 1;
    this.backoffMs = this.opts.minBackoffMs ?? 250;
    for (const w of this.waiters) w(s);
    this.waiters.clear();
    void s.closed.then(() => this.dropped(s));
    return s;
  }

  private async reverseApi(s: SshSession): Promise<void> {
    s.client.on('tcp connection', (info, accept, reject) => {
      if (info.destPort !== NODE.apiPort) { reject(); return; }
      const upstream = net.connect({ host: '127.0.0.1', port: this.opts.apiPort });
      this.sockets.add(upstream);
      upstream.once('close', () => this.sockets.delete(upstream));
      upstream.once('error', () => undefined);
      upstream.once('connect', () => {
        const ch = accept();
        ch.on('error', () => undefined);
        ch.pipe(upstream).pipe(ch);
        ch.once('close', () => upstream.destroy());
        upstream.once('close', () => ch.close());
      });
      upstream.once('error', () => reject());
    });
    // The remote sshd may still hold the port of a connection that just died: retry briefly.
    const forward = (): Promise<true> => new Promise((resolve, reject) => {
      s.client.forwardIn('127.0.0.1', NODE.apiPort, (err) => (err ? reject(err) : resolve(true)));
    });
    await pollUntil(forward, 10_000, `the API tunnel on the node's 127.0.0.1:${NODE.apiPort}`, 100);
  }

  private dropped(s: SshSession): void {
    if (this.current !== s) return;
    this.current = undefined;
    if (this.closed) return;
    this.log('SSH connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.session().then(
        () => this.log('SSH reconnected; tunnels re-established'),
        (e: unknown) => { this.log(`reconnect failed: ${errorMessage(e)}`); this.scheduleReconnect(); },
      );
    }, wait);
  }

  /** A stream to the agent's 127.0.0.1:10250 on the node. */
  async dialAgent(): Promise<Duplex> {
    const s = await this.ready();
    return s.forwardOut('127.0.0.1', NODE.agentPort);
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.current?.close();
    this.current = undefined;
    for (const sock of this.sockets) sock.destroy();
  }
}
