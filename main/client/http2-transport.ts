// Requests and watches over HTTP/2 (ALPN h2), as client-go sends them: one TLS connection carries many concurrent
// requests as streams. `connections` sessions are opened lazily and used round robin; a session that
// closes or fails is replaced on the next request. No runtime imports from the rest of main/.
import * as http2 from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http';
import type { SecureContext } from 'node:tls';
import type { ApiCredentials } from './credentials';
import { tlsOptions } from './credentials';

export interface RawResponse { code: number; headers: IncomingHttpHeaders; text: string }

/**
 * client-go's HTTP/2 health check (ReadIdleTimeout 30 s, PingTimeout 15 s): a session quiet for 30 s is pinged, and one
 * whose ping goes unanswered for 15 s is closed, so that the watches on a connection that died silently (a suspended
 * laptop, a cut tunnel) fail and are opened again instead of waiting for ever.
 */
export interface Http2HealthCheck { readIdleMs: number; pingTimeoutMs: number }
export const CLIENT_GO_HEALTH_CHECK: Http2HealthCheck = { readIdleMs: 30_000, pingTimeoutMs: 15_000 };

/** Pings the session whenever it has been quiet for `readIdleMs`; destroys it when a ping goes unanswered for `pingTimeoutMs`. */
export function keepSessionChecked(s: http2.ClientHttp2Session, { readIdleMs, pingTimeoutMs: timeoutMs }: Http2HealthCheck = CLIENT_GO_HEALTH_CHECK): void {
  // setTimeout's own callback is called once; every quiet spell needs its ping.
  s.setTimeout(readIdleMs);
  s.on('timeout', () => {
    if (s.closed || s.destroyed) return;
    const timer = setTimeout(() => s.destroy(new Error(`the API server did not answer an HTTP/2 ping within ${timeoutMs / 1000} s`)), timeoutMs);
    const sent = s.ping((err) => {
      clearTimeout(timer);
      if (err && !s.destroyed) s.destroy(err);
    });
    if (!sent) clearTimeout(timer);
  });
}

/** A stream that ended without its answer because its connection went (HTTP/1.1's ECONNRESET, for reachability). */
export function connectionDropped(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

export interface Http2TransportOptions {
  /** Sessions opened (lazily) and used round robin. Default 1. */
  connections?: number;
  /** The CA and credentials parsed once, for every session. */
  secureContext?: SecureContext;
  health?: Http2HealthCheck;
}

export class Http2Transport {
  private readonly sessions: (http2.ClientHttp2Session | undefined)[];
  private next = 0;

  constructor(private readonly origin: string, private readonly creds: ApiCredentials, private readonly o: Http2TransportOptions = {}) {
    this.sessions = new Array<http2.ClientHttp2Session | undefined>(Math.max(1, o.connections ?? 1)).fill(undefined);
  }

  private session(): http2.ClientHttp2Session {
    const i = this.next++ % this.sessions.length;
    const open = this.sessions[i];
    if (open && !open.closed && !open.destroyed) return open;
    const s = http2.connect(this.origin, { ...tlsOptions(this.creds), ...(this.o.secureContext ? { secureContext: this.o.secureContext } : {}) });
    s.on('error', () => undefined); // each stream reports its own failure
    keepSessionChecked(s, this.o.health);
    s.on('close', () => { if (this.sessions[i] === s) this.sessions[i] = undefined; });
    this.sessions[i] = s;
    return s;
  }

  request(method: string, path: string, headers: Record<string, string | number>, body?: string, timeoutMs?: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.open(method, path, headers, body === undefined);
      let code = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (rh) => {
        code = Number(rh[':status']);
        responseHeaders = rh;
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve({ code, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') }));
      stream.on('error', reject);
      stream.on('close', () => reject(connectionDropped(`${method} ${path}: the stream closed without an answer (HTTP/2 code ${stream.rstCode ?? 0})`)));
      if (timeoutMs) stream.setTimeout(timeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL, () => reject(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`))));
      if (body !== undefined) stream.end(body);
    });
  }

  /** A request's stream, its response read as it arrives (a watch): the 'response' event carries the status. */
  open(method: string, path: string, headers: Record<string, string | number>, endStream = true): http2.ClientHttp2Stream {
    const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': path };
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
    return this.session().request(h, { endStream });
  }

  close(): void {
    for (const s of this.sessions) s?.close();
    this.sessions.fill(undefined);
  }
}
