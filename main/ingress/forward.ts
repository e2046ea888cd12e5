// Forwarding one request (or one upgrade) to the backend a route names: a pod behind the Service, round robin,
// through the agents' port-forward tunnels. The proxy's own answers are plain text: 404 when no rule (and no default
// backend) takes the request, 503 when the backend has no ready endpoint (the body says why), 502 when the pod
// cannot be reached.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AgentEndpoint } from '../protocol/agent-connection';
import { endToEndHeaders } from '../protocol/hop-by-hop';
import { RoundRobin, type Target } from '../tunnel/endpoints';
import { dialPod, PodAgents } from '../tunnel/pod-tunnel';
import { requestHost, requestPath, route } from './routing';
import type { IngressState } from './state';

type Picked = { target: Target; key: string } | { status: number; body: string };

export class Forwarder {
  private readonly rr = new RoundRobin();
  readonly agents: PodAgents;
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly state: IngressState, private readonly ep: AgentEndpoint) {
    this.agents = new PodAgents(ep);
  }

  private pick(req: IncomingMessage): Picked {
    const host = requestHost(req.headers.host);
    const path = requestPath(req.url);
    const r = route(this.state.routes(), host, path);
    if (!r) return { status: 404, body: `404 Not Found: no Ingress rule matches host "${host}" and path "${path}", and no Ingress has a default backend\n` };
    const t = this.state.targets(r.namespace, r.backend);
    if ('problem' in t) return { status: 503, body: `503 Service Unavailable: ${t.problem} (Ingress ${r.ingress})\n` };
    const port = r.backend.service?.port;
    const key = `${r.namespace}/${r.backend.service?.name ?? ''}:${port?.name ?? port?.number ?? ''}`;
    return { target: this.rr.pick(key, t.targets), key };
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

  /** Serves one HTTP request. */
  handle(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): void {
    const p = this.pick(req);
    if ('status' in p) { reply(res, p.status, p.body); return; }
    const headers: http.OutgoingHttpHeaders = { ...endToEndHeaders(req.headers), ...Forwarder.forwardedHeaders(req, scheme) };
    const out = http.request({ agent: this.agents.get(p.target), method: req.method, path: req.url, headers, setHost: false });
    out.on('response', (pres) => {
      const back: http.OutgoingHttpHeaders = endToEndHeaders(pres.headers);
      res.writeHead(pres.statusCode ?? 502, pres.statusMessage, back);
      pres.pipe(res);
      pres.on('error', () => res.destroy());
    });
    out.on('error', (e) => {
      if (!res.headersSent) reply(res, 502, `502 Bad Gateway: pod ${p.target.namespace}/${p.target.pod} port ${p.target.port}: ${e.message}\n`);
      else res.destroy();
    });
    res.on('close', () => { if (!out.writableFinished || !res.writableFinished) out.destroy(); });
    req.pipe(out);
  }

  /** Passes an upgrade (WebSocket) through: the request as it came, then bytes both ways. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, scheme: 'http' | 'https'): void {
    socket.on('error', () => socket.destroy());
    const p = this.pick(req);
    if ('status' in p) { rejectUpgrade(socket, p.status, p.body); return; }
    dialPod(this.ep, p.target).then((tunnel) => {
      if (socket.destroyed) { tunnel.destroy(); return; }
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
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

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  const text = http.STATUS_CODES[status] ?? '';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
