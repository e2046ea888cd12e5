// Requests over HTTP/2 (ALPN h2), as client-go sends them: one TLS connection carries many concurrent
// requests as streams. `connections` sessions are opened lazily and used round robin; a session that
// closes or fails is replaced on the next request. No runtime imports from the rest of main/.
import * as http2 from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiCredentials } from './credentials';
import { tlsOptions } from './credentials';

export interface RawResponse { code: number; headers: IncomingHttpHeaders; text: string }

export class Http2Transport {
  private readonly sessions: (http2.ClientHttp2Session | undefined)[];
  private next = 0;

  constructor(private readonly origin: string, private readonly creds: ApiCredentials, connections = 1) {
    this.sessions = new Array<http2.ClientHttp2Session | undefined>(Math.max(1, connections)).fill(undefined);
  }

  private session(): http2.ClientHttp2Session {
    const i = this.next++ % this.sessions.length;
    const open = this.sessions[i];
    if (open && !open.closed && !open.destroyed) return open;
    const s = http2.connect(this.origin, tlsOptions(this.creds));
    s.on('error', () => undefined); // each stream reports its own failure
    s.on('close', () => { if (this.sessions[i] === s) this.sessions[i] = undefined; });
    this.sessions[i] = s;
    return s;
  }

  request(method: string, path: string, headers: Record<string, string | number>, body?: string, timeoutMs?: number): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': path };
      for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
      const stream = this.session().request(h, { endStream: body === undefined });
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
      if (timeoutMs) stream.setTimeout(timeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL, () => reject(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`))));
      if (body !== undefined) stream.end(body);
    });
  }

  close(): void {
    for (const s of this.sessions) s?.close();
    this.sessions.fill(undefined);
  }
}
