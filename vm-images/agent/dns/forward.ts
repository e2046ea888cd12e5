// Forwarding a query the cluster does not answer to the node's upstream resolvers (the nameservers
// of its resolv.conf, re-read when the file changes, never the cluster DNS itself): each upstream in
// turn, over the transport the client used (UDP, or TCP with its 2-byte length prefix), with a
// per-upstream timeout. Undefined when none answered (the server then answers SERVFAIL). Replies are
// cached by their TTL (reply-cache.ts), so a repeated query does not leave the node.
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
  /** Upstreams' port (default 53; tests use another). */
  port?: number;
  /** The cache of upstream replies (default: a ReplyCache with its defaults). */
  cache?: ReplyCache;
}

export class Forwarder {
  private cached: { mtimeMs: number; servers: string[] } | undefined;

  private readonly cache: ReplyCache;

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

  async forward(query: Buffer, tcp: boolean): Promise<Buffer | undefined> {
    const cached = this.cache.get(query, tcp);
    if (cached) return cached;
    for (const server of this.upstreams()) {
      const reply = await (tcp ? this.viaTcp(server, query) : this.viaUdp(server, query)).catch(() => undefined);
      if (reply) {
        this.cache.put(query, tcp, reply);
        return reply;
      }
    }
    return undefined;
  }

  private viaUdp(server: string, query: Buffer): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = createSocket(server.includes(':') ? 'udp6' : 'udp4');
      const done = (reply?: Buffer): void => { clearTimeout(timer); sock.close(); resolve(reply); };
      const timer = setTimeout(() => done(), this.o.timeoutMs ?? 2000);
      sock.on('error', () => done());
      // Only the reply to this query (same ID) from that server counts.
      sock.on('message', (msg, rinfo) => { if (rinfo.address === server && msg.length >= 2 && msg.readUInt16BE(0) === query.readUInt16BE(0)) done(msg); });
      sock.send(query, this.o.port ?? 53, server, (err) => { if (err) done(); });
    });
  }

  private viaTcp(server: string, query: Buffer): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = connect({ host: server, port: this.o.port ?? 53 });
      let buf = Buffer.alloc(0);
      const done = (reply?: Buffer): void => { clearTimeout(timer); sock.destroy(); resolve(reply); };
      const timer = setTimeout(() => done(), this.o.timeoutMs ?? 2000);
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
