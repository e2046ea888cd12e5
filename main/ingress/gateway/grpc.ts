// GRPCRoutes: gRPC over HTTP/2 — cleartext with prior knowledge (as `grpcurl -plaintext` and every gRPC client
// without TLS speak it) on the HTTP ports, and over TLS (ALPN h2) on the HTTPS ports, the proxy's and each listener's
// own. On a cleartext port a connection that opens with the HTTP/2 preface goes to an HTTP/2 server, any other to the
// HTTP/1.1 one; each call is routed by grpc-match.ts, its
// headers modified by the rule's filters, and proxied as one stream of an HTTP/2 session to a pod of the picked
// backend (one session per pod port, over the agents' tunnels), trailers (grpc-status) included. What cannot be
// routed ends as gRPC ends calls: UNIMPLEMENTED when no rule takes it, UNAVAILABLE when the backend has no reachable
// pod, INTERNAL when the rule's backend is invalid.
import * as http2 from 'node:http2';
import type * as http from 'node:http';
import * as net from 'node:net';
import { HOP_BY_HOP } from '../../protocol/hop-by-hop';
import type { Target } from '../../tunnel/endpoints';
import type { BackendTls } from './backend-tls';
import { backendTlsKey, overTls } from './backend-tls-connect';
import { modifyHeaders, pickBackend, type Headers } from './filters';
import { chooseGrpcRoute } from './grpc-match';
import { serviceBackend, type BackendDeps } from './router';
import type { HeaderModifier } from './types';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const GRPC_UNIMPLEMENTED = 12;
const GRPC_INTERNAL = 13;
const GRPC_UNAVAILABLE = 14;

/** The headers that go on to the pod or back to the client: no connection-specific ones HTTP/2 forbids. */
function passable(h: http2.IncomingHttpHeaders | Headers): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host' && k !== 'http2-settings') out[k] = v;
  return out;
}

function endCall(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) { stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR); return; }
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': encodeURIComponent(message) },
    { endStream: true });
}

/** Whether a request is a gRPC call (its content type). */
export function isGrpc(headers: http2.IncomingHttpHeaders): boolean {
  return String(headers['content-type'] ?? '').startsWith('application/grpc');
}

export class GrpcProxy {
  private readonly sessions = new Map<string, Promise<http2.ClientHttp2Session>>();
  private readonly servers = new Set<http2.Http2Server>();

  constructor(private readonly d: BackendDeps) {}

  /** A front for an HTTP port: HTTP/2 prior-knowledge connections to gRPC, the rest to `http1`. */
  front(http1: http.Server, listenerPort?: number): net.Server {
    // The HTTP/1.1 server never listens itself; its connection tracking (headersTimeout, requestTimeout) starts on
    // 'listening', so it is told once here, as a listening server would be.
    http1.emit('listening');
    const h2 = http2.createServer();
    this.servers.add(h2);
    h2.on('stream', (stream, headers) => this.serve(stream, headers, listenerPort));
    h2.on('sessionError', () => undefined);
    return net.createServer((socket) => {
      socket.once('data', (first: Buffer) => {
        socket.pause();
        socket.unshift(first);
        const n = Math.min(first.length, PREFACE.length);
        (first.subarray(0, n).equals(PREFACE.subarray(0, n)) ? h2 : http1).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
      socket.on('error', () => socket.destroy());
    });
  }

  /** One HTTP/2 session per pod port (and BackendTLSPolicy): over the tunnel, or TLS (ALPN h2) over it. */
  private session(t: Target, tls: BackendTls | undefined): Promise<http2.ClientHttp2Session> {
    const key = `${t.namespace}/${t.pod}:${t.port} ${backendTlsKey(tls)}`;
    let s = this.sessions.get(key);
    if (!s) {
      s = this.d.dial(t).then(overTls(tls, ['h2'])).then((tunnel) => {
        const session = http2.connect(`${tls ? 'https' : 'http'}://${t.pod}.${t.namespace}:${t.port}`, { createConnection: () => tunnel });
        const forget = (): void => { this.sessions.delete(key); };
        session.on('close', forget).on('error', forget).on('goaway', forget);
        session.unref();
        return session;
      });
      s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  /** Serves one HTTP/2 stream: a gRPC call, routed by GRPCRoute; anything else is refused (415). */
  serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, listenerPort: number | undefined): void {
    stream.on('error', () => undefined);
    const path = headers[':path'] ?? '/';
    if (!isGrpc(headers)) {
      stream.respond({ ':status': 415, 'content-type': 'text/plain; charset=utf-8' });
      stream.end('415 Unsupported Media Type: HTTP/2 cleartext is served for gRPC calls (GRPCRoutes) only\n');
      return;
    }
    const host = String(headers[':authority'] ?? headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const header = (n: string): string | undefined => { const v = headers[n]; return Array.isArray(v) ? v.join(',') : v; };
    const { choice } = chooseGrpcRoute(this.d.plan().attachments, { host, path, header, listenerPort });
    if (!choice) { endCall(stream, GRPC_UNIMPLEMENTED, `no GRPCRoute takes ${host}${path}`); return; }
    const routeName = `GRPCRoute ${choice.route.metadata?.namespace ?? ''}/${choice.route.metadata?.name ?? ''}`;
    const ref = pickBackend(choice.rule.backendRefs);
    const backend = ref && serviceBackend(this.d.grants(), 'GRPCRoute', choice.route.metadata?.namespace ?? '', ref);
    if (!backend) { endCall(stream, GRPC_INTERNAL, `${routeName} has no valid backend for this call`); return; }
    const out = passable(headers);
    const responseMods: HeaderModifier[] = [];
    for (const f of [...(choice.rule.filters ?? []), ...(ref.filters ?? [])]) {
      if (f.type === 'RequestHeaderModifier') modifyHeaders(out, f.requestHeaderModifier);
      else if (f.type === 'ResponseHeaderModifier' && f.responseHeaderModifier) responseMods.push(f.responseHeaderModifier);
    }
    const target = this.d.pick(backend);
    if ('problem' in target) { endCall(stream, GRPC_UNAVAILABLE, `${routeName}: ${target.problem}`); return; }
    this.session(target, this.d.tlsFor?.(backend)).then((session) => this.relay(stream, session, out, responseMods), (e: unknown) => {
      endCall(stream, GRPC_UNAVAILABLE, `${routeName}: pod ${target.namespace}/${target.pod}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private relay(stream: http2.ServerHttp2Stream, session: http2.ClientHttp2Session, headers: Headers, responseMods: readonly HeaderModifier[]): void {
    if (stream.destroyed) return;
    const up = session.request(headers);
    let trailers: Headers = {};
    up.on('response', (h) => {
      const back = passable(h);
      for (const m of responseMods) modifyHeaders(back, m);
      if (h['grpc-status'] !== undefined) { stream.respond(back, { endStream: true }); up.resume(); return; }
      stream.respond(back, { waitForTrailers: true });
      up.pipe(stream);
    });
    up.on('trailers', (t: http2.IncomingHttpHeaders) => { trailers = passable(t); });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    up.on('error', (e: Error) => endCall(stream, GRPC_UNAVAILABLE, e.message));
    stream.on('close', () => { if (!up.closed) up.close(http2.constants.NGHTTP2_CANCEL); });
    stream.pipe(up);
  }

  close(): void {
    for (const s of this.sessions.values()) void s.then((x) => x.destroy(), () => undefined);
    this.sessions.clear();
    for (const h2 of this.servers) h2.close();
  }
}
