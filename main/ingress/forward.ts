// Forwarding one request (or one upgrade) to the backend a route names — an HTTPRoute of a Gateway listener that
// takes the request's host (main/gateway), else an Ingress rule: a pod behind the Service, round robin, through the
// agents' port-forward tunnels. The proxy's own answers are plain text: 404 when no rule (and no default backend)
// takes the request, 503 when the backend has no ready endpoint (the body says why), 502 when the pod cannot be
// reached; under the Gateway API also redirects and 500 for a rule without a valid backend.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AgentEndpoint } from '../protocol/agent-connection';
import { endToEndHeaders } from '../protocol/hop-by-hop';
import { endWithResponse } from '../protocol/raw-response';
import { RoundRobin, type Target } from '../tunnel/endpoints';
import { dialPod, PodAgents, type TunnelLayer } from '../tunnel/pod-tunnel';
import type { IngressBackend } from '../api/types';
import type { BackendTls } from './gateway/backend-tls';
import { backendTlsKey, originateTls, overTls } from './gateway/backend-tls-connect';
import { modifyHeaders, type Headers } from './gateway/filters';
import { decide, type GatewayDecision, type ServiceBackend } from './gateway/router';
import type { GatewayState } from './gateway/state';
import type { HeaderModifier } from './gateway/types';
import { requestHost, requestPath, route } from './routing';
import type { IngressState } from './state';

type Picked = { target: Target; key: string } | { status: number; body: string };

/** How a request goes on: its path, headers, and what to change in the answer's headers. */
interface Outgoing {
  path: string;
  headers: http.OutgoingHttpHeaders;
  responseHeaders?: readonly HeaderModifier[];
  /** A 504 when the pod has not answered within this (the route's timeouts), naming `owner`. */
  timeoutMs?: number;
  owner?: string;
  /** TLS to the pod under a BackendTLSPolicy. */
  tls?: BackendTls;
}

/** TLS over each tunnel of a pod's http.Agent, as a BackendTLSPolicy says. */
const tlsLayer = (b: BackendTls): TunnelLayer => ({ key: backendTlsKey(b), wrap: (s) => originateTls(s, b, ['http/1.1']) });

export class Forwarder {
  private readonly rr = new RoundRobin();
  readonly agents: PodAgents;
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly state: IngressState, private readonly ep: AgentEndpoint, private readonly gateway?: GatewayState) {
    this.agents = new PodAgents(ep);
  }

  /** A ready pod behind a Service port (round robin), or the 503 that says why there is none. */
  private pickService(namespace: string, backend: IngressBackend, owner: string): Picked {
    const t = this.state.targets(namespace, backend);
    if ('problem' in t) return { status: 503, body: `503 Service Unavailable: ${t.problem} (${owner})\n` };
    const port = backend.service?.port;
    const key = `${namespace}/${backend.service?.name ?? ''}:${port?.name ?? port?.number ?? ''}`;
    return { target: this.rr.pick(key, t.targets), key };
  }

  /** A ready pod behind a Service port, or why there is none (for TCP and TLS routes). */
  pickTarget(b: ServiceBackend): Target | { problem: string } {
    const p = this.pickService(b.namespace, serviceBackend(b), '');
    return 'status' in p ? { problem: p.body.trim() } : p.target;
  }

  private pick(req: IncomingMessage): Picked {
    const host = requestHost(req.headers.host);
    const path = requestPath(req.url);
    const r = route(this.state.routes(), host, path);
    if (!r) return { status: 404, body: `404 Not Found: no Ingress rule matches host "${host}" and path "${path}", and no Ingress has a default backend\n` };
    return this.pickService(r.namespace, r.backend, `Ingress ${r.ingress}`);
  }

  private gatewayDecision(req: IncomingMessage, scheme: 'http' | 'https', listenerPort: number | undefined): GatewayDecision {
    if (!this.gateway?.installed) return { kind: 'none' };
    const d = decide(this.gateway.current(), this.gateway.grants(), {
      scheme, method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, localPort: req.socket.localPort ?? 0, listenerPort,
    });
    // A listener's own port serves only the Gateway API: what no listener there takes is not the Ingresses'.
    if (listenerPort !== undefined) {
      return d.kind === 'none' ? { kind: 'reply', status: 404, body: `404 Not Found: no HTTPRoute on port ${listenerPort} takes host "${requestHost(req.headers.host)}"\n` } : d;
    }
    // On the proxy's own ports, a Gateway route without hostnames takes only what no Ingress rule takes (each would own
    // every host on a cluster of its own; here they share the port).
    if (d.kind !== 'none' && d.catchAll) {
      const table = this.state.routes();
      const r = route(table, requestHost(req.headers.host), requestPath(req.url));
      if (r && r !== table.defaultBackend) return { kind: 'none' };
      // Nor does a catch-all without a matching rule keep an Ingress default backend from the request.
      if (r && d.kind === 'reply' && d.status === 404) return { kind: 'none' };
    }
    return d;
  }

  private static forwardedHeaders(req: IncomingMessage, scheme: 'http' | 'https'): Record<string, string> {
    const prior = req.headers['x-forwarded-for'];
    const client = req.socket.remoteAddress ?? '';
    return {
      'x-forwarded-for': prior ? `${String(prior)}, ${client}` : client,
      'x-forwarded-host': req.headers.host ?? '',
      'x-forwarded-proto': scheme,
      'x-forwarded-port': String(req.socket.localPort ?? ''),
    };
  }

  /**
   * Serves one HTTP request: the Gateway API's routes first, then the Ingresses'; `listenerPort` when it came in on a
   * Gateway listener's own port rather than the proxy's.
   */
  handle(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https', listenerPort?: number): void {
    const g = this.gatewayDecision(req, scheme, listenerPort);
    if (g.kind === 'reply') { reply(res, g.status, g.body, g.headers); return; }
    if (g.kind === 'forward') {
      const p = this.pickService(g.backend.namespace, serviceBackend(g.backend), `HTTPRoute ${g.route}`);
      if ('status' in p) { reply(res, p.status, p.body); return; }
      const tls = this.tlsFor(g.backend);
      if (tls?.problem) { reply(res, 502, `502 Bad Gateway: BackendTLSPolicy ${tls.policy}: ${tls.problem}\n`); return; }
      const headers = { ...endToEndHeaders(g.headers), ...Forwarder.forwardedHeaders(req, scheme) };
      for (const m of g.mirrors) {
        if (Math.random() * 100 < m.percent) this.mirror(req, m.backend, { path: g.path, headers, tls: this.tlsFor(m.backend) });
      }
      this.send(req, res, p.target, { path: g.path, headers, responseHeaders: g.responseHeaders, timeoutMs: g.timeoutMs, owner: `HTTPRoute ${g.route}`, tls });
      return;
    }
    const p = this.pick(req);
    if ('status' in p) { reply(res, p.status, p.body); return; }
    this.send(req, res, p.target, { path: req.url ?? '/', headers: { ...endToEndHeaders(req.headers), ...Forwarder.forwardedHeaders(req, scheme) } });
  }

  /** The BackendTLSPolicy taking a route's backend, if any. */
  private tlsFor(b: ServiceBackend): BackendTls | undefined {
    return this.gateway?.tlsFor(b.namespace, b.name, b.port);
  }

  private send(req: IncomingMessage, res: ServerResponse, target: Target, o: Outgoing): void {
    const agent = this.agents.get(target, o.tls && tlsLayer(o.tls));
    const out = http.request({ agent, method: req.method, path: o.path, headers: o.headers, setHost: false });
    out.on('response', (pres) => {
      const back = endToEndHeaders(pres.headers) as Headers;
      for (const m of o.responseHeaders ?? []) modifyHeaders(back, m);
      // HTTP/2 has no reason phrase (a response of the HTTPS ports may be one).
      if (req.httpVersionMajor >= 2) res.writeHead(pres.statusCode ?? 502, back as http.OutgoingHttpHeaders);
      else res.writeHead(pres.statusCode ?? 502, pres.statusMessage, back as http.OutgoingHttpHeaders);
      pres.pipe(res);
      pres.on('error', () => res.destroy());
    });
    let timedOut = false;
    out.on('error', (e) => {
      if (timedOut) return;
      if (!res.headersSent) reply(res, 502, `502 Bad Gateway: pod ${target.namespace}/${target.pod} port ${target.port}: ${e.message}\n`);
      else res.destroy();
    });
    const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      if (!res.headersSent) reply(res, 504, `504 Gateway Timeout: pod ${target.namespace}/${target.pod} port ${target.port} did not answer within ${o.timeoutMs} ms (the timeouts of ${o.owner ?? 'the route'})\n`);
      else res.destroy();
      out.destroy();
    }, o.timeoutMs);
    res.on('close', () => { clearTimeout(timer); if (!out.writableFinished || !res.writableFinished) out.destroy(); });
    req.pipe(out);
  }

  /** A copy of the request to a mirror backend, its answer dropped (RequestMirror); nothing when it has no ready pod. */
  private mirror(req: IncomingMessage, backend: ServiceBackend, o: Outgoing): void {
    const p = this.pickService(backend.namespace, serviceBackend(backend), 'mirror');
    if ('status' in p || o.tls?.problem) return;
    const agent = this.agents.get(p.target, o.tls && tlsLayer(o.tls));
    const out = http.request({ agent, method: req.method, path: o.path, headers: o.headers, setHost: false });
    out.on('response', (r) => r.resume());
    out.on('error', () => undefined);
    req.pipe(out);
  }

  /** Passes an upgrade (WebSocket) through: the request as it came, then bytes both ways. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: 'http' | 'https', listenerPort?: number): void {
    socket.on('error', () => socket.destroy());
    const g = this.gatewayDecision(req, scheme, listenerPort);
    if (g.kind === 'reply') { rejectUpgrade(socket, g.status, g.body, g.headers); return; }
    const p = g.kind === 'forward' ? this.pickService(g.backend.namespace, serviceBackend(g.backend), `HTTPRoute ${g.route}`) : this.pick(req);
    if ('status' in p) { rejectUpgrade(socket, p.status, p.body); return; }
    const path = g.kind === 'forward' ? g.path : req.url ?? '/';
    const headerLines: string[] = [];
    if (g.kind === 'forward') {
      for (const [k, v] of Object.entries(g.headers)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) headerLines.push(`${k}: ${x}`);
    } else {
      for (let i = 0; i < req.rawHeaders.length; i += 2) headerLines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    const tls = g.kind === 'forward' ? this.tlsFor(g.backend) : undefined;
    dialPod(this.ep, p.target).then(overTls(tls, ['http/1.1'])).then((tunnel) => {
      if (socket.destroyed) { tunnel.destroy(); return; }
      const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`, ...headerLines];
      for (const [k, v] of Object.entries(Forwarder.forwardedHeaders(req, scheme))) lines.push(`${k}: ${v}`);
      tunnel.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) tunnel.write(head);
      this.upgraded.add(socket);
      const done = (): void => { this.upgraded.delete(socket); socket.destroy(); tunnel.destroy(); };
      tunnel.on('error', done).on('close', done);
      socket.on('close', done);
      tunnel.pipe(socket);
      socket.pipe(tunnel);
    }, (e: unknown) => {
      rejectUpgrade(socket, 502, `502 Bad Gateway: pod ${p.target.namespace}/${p.target.pod} port ${p.target.port}: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  }

  close(): void {
    for (const s of this.upgraded) s.destroy();
    this.upgraded.clear();
    this.agents.close();
  }
}

const serviceBackend = (b: ServiceBackend): IngressBackend => ({ service: { name: b.name, port: { number: b.port } } });

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function rejectUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  endWithResponse(socket, status, 'text/plain; charset=utf-8', body, { headers });
}
