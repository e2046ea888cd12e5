// Forwarding a query the cluster does not answer to the node's upstream resolvers (the nameservers
// of its resolv.conf, re-read when the file changes, never the cluster DNS itself): each upstream in
// turn, over the transport the client used (UDP, or TCP with its 2-byte length prefix), with a
// per-upstream timeout inside one deadline for the whole query, so the client gets an answer before its
// own resolver gives up. Undefined when none answered (the server then answers SERVFAIL): at once when
// there is no upstream, or when every upstream failed (no answer in time, or refused: UDP sockets are
// connected so an ICMP port-unreachable ends the wait) within the last `retryDownMs`; a failed upstream
// is skipped meanwhile while another is up. Replies are cached by their TTL (reply-cache.ts), so a
// repeated query does not leave the node.
import { createSocket } from 'node:dgram';
import { statSync } from 'node:fs';
import { connect } from 'node:net';
import { ReplyCache } from './reply-cache';
import { readResolvConf } from './resolv-conf';

export interface ForwarderOptions {
  /** The node's resolv.conf. */
  resolvConf: string;
  /** Addresses never forwarded to (the cluster DNS addresses: forwarding there would loop). */
  exclude: string[];
  /** How long to wait for one upstream (default 2 s). */
  timeoutMs?: number;
  /** How long one query may wait for upstreams in all (default 3 s: under a pod resolver's 5 s timeout). */
  totalTimeoutMs?: number;
  /** How long an upstream that failed is skipped (default 10 s). */
  retryDownMs?: number;
  now?: () => number;
  /** Upstreams' port (default 53; tests use another). */
  port?: number;
  /** The cache of upstream replies (default: a ReplyCache with its defaults). */
  cache?: ReplyCache;
}

export class Forwarder {
  private cached: { mtimeMs: number; servers: string[] } | undefined;

  private readonly cache: ReplyCache;
  /** Upstreams that failed, with when they may be tried again. */
  private readonly down = new Map<string, number>();

  constructor(private readonly o: ForwarderOptions) {
    this.cache = o.cache ?? new ReplyCache();
  }

  /** The upstream servers, from the file as it is now. */
  upstreams(): string[] {
    let mtimeMs = -1;
    try { mtimeMs = statSync(this.o.resolvConf).mtimeMs; } catch { /* missing: no upstreams */ }
    if (this.cached?.mtimeMs !== mtimeMs) {
      const servers = mtimeMs < 0 ? [] : readResolvConf(this.o.resolvConf).nameservers.filter((s) => !this.o.exclude.includes(s));
      this.cached = { mtimeMs, servers };
    }
    return this.cached.servers;
  }

  /** The upstreams to ask now: those not down, else none (all failed lately). */
  private live(now: number): string[] {
    return this.upstreams().filter((s) => (this.down.get(s) ?? 0) <= now);
  }

  async forward(query: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    const cached = this.cache.get(query, tcp);
    if (cached) return cached;
    const clock = this.o.now ?? Date.now;
    const deadline = clock() + (this.o.totalTimeoutMs ?? 3000);
    for (const server of this.live(clock())) {
      const wait = Math.min(this.o.timeoutMs ?? 2000, deadline - clock());
      if (wait <= 0) break;
      const reply = await (tcp ? this.viaTcp(server, query, wait) : this.viaUdp(server, query, wait)).catch(() => undefined);
      if (reply) {
        this.down.delete(server);
        this.cache.put(query, tcp, reply);
        return reply;
      }
      this.down.set(server, clock() + (this.o.retryDownMs ?? 10_000));
    }
    return undefined;
  }

  private viaUdp(server: string, query: Buffer, waitMs: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = createSocket(server.includes(':') ? 'udp6' : 'udp4');
      let finished = false;
      const done = (reply?: Buffer): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        sock.close();
        resolve(reply);
      };
      const timer = setTimeout(() => done(), waitMs);
      // Connected: replies come only from that server, and a refusal (ICMP port unreachable) is an error at once.
      sock.on('error', () => done());
      sock.on('message', (msg) => { if (msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg); });
      sock.connect(this.o.port ?? 53, server, () => sock.send(query, (err) => { if (err) done(); }));
    });
  }

  private viaTcp(server: string, query: Buffer, waitMs: number): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = connect({ host: server, port: this.o.port ?? 53 });
      let buf = Buffer.alloc(0);
      const done = (reply?: Buffer): void => { clearTimeout(timer); sock.destroy(); resolve(reply); };
      const timer = setTimeout(() => done(), waitMs);
      sock.on('error', () => done());
      sock.on('close', () => done());
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      });
    });
  }
}
