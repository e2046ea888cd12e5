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
 * client-go's HTTP/2 health check (ReadIdleTimeout 30 s, PingTimeout 15 s), so that the watches on a connection that
 * died silently (a suspended laptop, a cut tunnel) fail and are opened again instead of waiting for ever: a ping every
 * `readIdleMs`, and a session whose ping goes unanswered for `pingTimeoutMs` is destroyed. client-go pings only after
 * 30 s without a frame read; Node's session timer counts our own writes as activity too, so a session whose requests
 * keep going out would never be found quiet — hence a ping on a fixed period (one small frame each way per 30 s).
 */
export interface Http2HealthCheck { readIdleMs: number; pingTimeoutMs: number }
export const CLIENT_GO_HEALTH_CHECK: Http2HealthCheck = { readIdleMs: 30_000, pingTimeoutMs: 15_000 };

/** A session's health check; `checkNow` when a request on it got no answer in time. */
export interface SessionCheck { checkNow(): void }

/**
 * Checks `s` every `readIdleMs` until it closes: a session still connecting then (a TLS handshake or HTTP/2 preface
 * never answered — Node gives it no deadline) is destroyed, a connected one is pinged, and destroyed when the ping goes
 * unanswered for `pingTimeoutMs`. `checkNow` does the same at once, for a request that timed out.
 */
export function keepSessionChecked(s: http2.ClientHttp2Session, health: Http2HealthCheck = CLIENT_GO_HEALTH_CHECK): SessionCheck {
  const { readIdleMs, pingTimeoutMs: timeoutMs } = health;
  let pinging = false;
  const check = (): void => {
    if (s.closed || s.destroyed) return;
    if (s.connecting) {
      s.destroy(new Error('the API server did not complete the connection (TLS and HTTP/2 handshake) in time'));
      return;
    }
    if (pinging) return;
    pinging = true;
    const timer = setTimeout(() => s.destroy(new Error(`the API server did not answer an HTTP/2 ping within ${timeoutMs / 1000} s`)), timeoutMs);
    const sent = s.ping((err) => {
      pinging = false;
      clearTimeout(timer);
      if (err && !s.destroyed) s.destroy(err);
    });
    if (!sent) {
      pinging = false;
      clearTimeout(timer);
    }
  };
  const period = setInterval(check, readIdleMs);
  period.unref();
  s.once('close', () => clearInterval(period));
  return { checkNow: check };
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

/** An open session and its health check. */
interface CheckedSession { session: http2.ClientHttp2Session; check: SessionCheck }

export class Http2Transport {
  private readonly sessions: (CheckedSession | undefined)[];
  private next = 0;

  constructor(private readonly origin: string, private readonly creds: ApiCredentials, private readonly o: Http2TransportOptions = {}) {
    this.sessions = new Array<CheckedSession | undefined>(Math.max(1, o.connections ?? 1)).fill(undefined);
  }

  private session(): CheckedSession {
    const i = this.next++ % this.sessions.length;
    const open = this.sessions[i];
    if (open && !open.session.closed && !open.session.destroyed) return open;
    const s = http2.connect(this.origin, { ...tlsOptions(this.creds), ...(this.o.secureContext ? { secureContext: this.o.secureContext } : {}) });
    s.on('error', () => undefined); // each stream reports its own failure
    const entry = { session: s, check: keepSessionChecked(s, this.o.health) };
    s.on('close', () => { if (this.sessions[i] === entry) this.sessions[i] = undefined; });
    this.sessions[i] = entry;
    return entry;
  }

  request(method: string, path: string, headers: Record<string, string | number>, body?: string, timeoutMs?: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const { session, check } = this.session();
      const stream = this.start(session, method, path, headers, body === undefined);
      let code = 0;
      let ended = false;
      let responseHeaders: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (rh) => {
        code = Number(rh[':status']);
        responseHeaders = rh;
      });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => { ended = true; });
      stream.on('error', reject);
      // Answered only when the whole response came and the stream closed cleanly: a session that dies mid-answer
      // ends its streams too, with no status or half a body, and that is a dropped connection, not an empty answer.
      stream.on('close', () => {
        if (ended && code && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) resolve({ code, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') });
        else reject(connectionDropped(`${method} ${path}: the stream closed without ${code ? 'all of its answer' : 'an answer'} (HTTP/2 code ${stream.rstCode ?? 0})`));
      });
      if (timeoutMs) {
        stream.setTimeout(timeoutMs, () => {
          // The request gives up; its session is checked at once (a dead one is replaced before the next request).
          reject(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`));
          stream.close(http2.constants.NGHTTP2_CANCEL);
          check.checkNow();
        });
      }
      if (body !== undefined) stream.end(body);
    });
  }

  /** A request's stream, its response read as it arrives (a watch): the 'response' event carries the status. */
  open(method: string, path: string, headers: Record<string, string | number>, endStream = true): http2.ClientHttp2Stream {
    return this.start(this.session().session, method, path, headers, endStream);
  }

  private start(session: http2.ClientHttp2Session, method: string, path: string, headers: Record<string, string | number>, endStream: boolean)
    : http2.ClientHttp2Stream {
    const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': path };
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
    return session.request(h, { endStream });
  }

  close(): void {
    for (const s of this.sessions) s?.session.close();
    this.sessions.fill(undefined);
  }
}
