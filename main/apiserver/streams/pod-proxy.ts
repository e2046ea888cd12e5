// pods/proxy and services/proxy (/api/v1/namespaces/<ns>/pods/<[scheme:]name[:port]>/proxy/<path>, and the same for
// services): kube-apiserver's HTTP proxy to a pod, or to a ready endpoint of a Service port, here reached through the
// pod's node agent (its port-forward tunnel). As kube-apiserver:
//   - the target: a pod's port defaults to its first declared container port (80 without one); a pod without an IP is
//     400 "address not allowed". A Service port is named or numbered (a number is looked up among the Service's ports:
//     503 `no service port 80 found for service "web"`); an endpoint is picked at random among the Endpoints'
//     addresses for that port (503 `no endpoints available for service "web"` without one);
//   - `.../proxy` without a trailing slash is a 301 to `.../proxy/`;
//   - the request goes on with its method, body, query and headers but the caller's credentials (Authorization and
//     the hop-by-hop headers dropped), Host the endpoint, X-Forwarded-Uri/-Host/-Proto and -For added;
//   - the answer comes back as the pod gives it (status, headers, body streamed); a connection that cannot be made is
//     503 "error trying to reach service: <why>".
//   - an upgrade (a WebSocket) goes on with its Connection and Upgrade headers, then the two connections are joined.
// Not done: rewriting links in HTML answers (kube-apiserver's proxy transport does, for pages that link absolutely).
import * as http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { resourceForKind, type ResourceInfo } from '../../api/resources';
import type { Endpoints, Pod, Service } from '../../api/types';
import { AgentUpgradeError, asSocket } from '../../protocol/agent-connection';
import { endToEndHeaders } from '../../protocol/hop-by-hop';
import type { ApiContext } from '../context';
import type { RequestInfo } from '../request';
import { errors } from '../status';
import { sendError } from '../handlers/respond';

const ENDPOINTS = resourceForKind('v1', 'Endpoints')!;

/** Where a proxied request goes: a pod's port, through its node. */
interface ProxyTarget {
  scheme: 'http' | 'https';
  node: string;
  namespace: string;
  pod: string;
  ip: string;
  port: number;
}

/** utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`, scheme http, https or none. */
export function splitSchemeNamePort(id: string): { scheme: '' | 'http' | 'https'; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name: string;
  let port = '';
  if (parts.length === 1) [name] = parts;
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}

/** The path after `/proxy` in the request path, undefined when the request ends at `/proxy` (no slash). */
export function proxyPath(requestPath: string): string | undefined {
  return /^\/api\/v1\/namespaces\/[^/]+\/(?:pods|services)\/[^/]+\/proxy(\/.*)?$/.exec(requestPath)?.[1];
}

function podTarget(ctx: ApiContext, r: ResourceInfo, namespace: string, id: string): ProxyTarget {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw errors.badRequest(`invalid pod request "${id}"`);
  const pod = ctx.registry.get(r, namespace, parsed.name) as Pod;
  let port = parsed.port;
  if (port === '') port = String(pod.spec?.containers?.find((c) => (c.ports ?? []).length > 0)?.ports?.[0]?.containerPort ?? '');
  const ip = pod.status?.podIP;
  if (!ip) throw errors.badRequest('address not allowed');
  const portNumber = port === '' ? 80 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) throw errors.badRequest(`invalid port "${port}" for pod "${parsed.name}"`);
  if (!pod.spec?.nodeName) throw errors.badRequest('address not allowed');
  return { scheme: parsed.scheme || 'http', node: pod.spec.nodeName, namespace, pod: parsed.name, ip, port: portNumber };
}

function serviceTarget(ctx: ApiContext, r: ResourceInfo, namespace: string, id: string): ProxyTarget {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw errors.badRequest(`invalid service request "${id}"`);
  const svc = ctx.registry.get(r, namespace, parsed.name) as Service;
  let portName = parsed.port;
  if (/^\d+$/.test(portName)) {
    const declared = (svc.spec?.ports ?? []).find((p) => p.port === Number(portName));
    if (!declared) throw errors.unavailable(`no service port ${portName} found for service "${parsed.name}"`);
    portName = declared.name ?? '';
  }
  const eps = ctx.registry.get(ENDPOINTS, namespace, parsed.name) as Endpoints;
  const subsets = eps.subsets ?? [];
  if (subsets.length === 0) throw errors.unavailable(`no endpoints available for service "${parsed.name}"`);
  const candidates: ProxyTarget[] = [];
  for (const ss of subsets) {
    const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    for (const a of ss.addresses ?? []) {
      if (a.targetRef?.kind !== 'Pod' || !a.targetRef.name || !a.nodeName) continue;
      candidates.push({ scheme: parsed.scheme || 'http', node: a.nodeName, namespace, pod: a.targetRef.name, ip: a.ip, port: port.port });
    }
  }
  if (candidates.length === 0) throw errors.unavailable(`no endpoints available for service "${id}"`);
  return candidates[Math.floor(Math.random() * candidates.length)];
}

/** A Go-worded reason for a dial that failed (`connect: connection refused`), from the agent's or Node's. */
function dialFailure(t: ProxyTarget, e: unknown): string {
  const text = e instanceof AgentUpgradeError ? e.message : e instanceof Error ? e.message : String(e);
  const at = `dial tcp ${t.ip}:${t.port}`;
  if (/ECONNREFUSED/.test(text)) return `${at}: connect: connection refused`;
  if (/EHOSTUNREACH/.test(text)) return `${at}: connect: no route to host`;
  if (/ETIMEDOUT/.test(text)) return `${at}: i/o timeout`;
  return `${at}: ${text}`;
}

async function connectTo(ctx: ApiContext, t: ProxyTarget): Promise<Duplex> {
  if (!ctx.pods) throw errors.unavailable(`no connection to node "${t.node}"`);
  let stream: Duplex;
  try {
    stream = await ctx.pods.dialPod(t.node, t.namespace, t.pod, t.port);
  } catch (e) {
    throw errors.unavailable(`error trying to reach service: ${dialFailure(t, e)}`);
  }
  if (t.scheme === 'http') return stream;
  // kube-apiserver's proxy transport does not verify a pod's certificate (InsecureSkipVerify).
  return tls.connect({ socket: asSocket(stream), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
}

/** The caller's credentials and the API server's Host: never passed on to the pod. */
const CALLER_ONLY: ReadonlySet<string> = new Set(['authorization', 'host', 'impersonate-user', 'impersonate-group', 'impersonate-uid']);

/** What a proxied request goes on with: its target, path at the target, and headers (credentials out, X-Forwarded-* in). */
interface Outgoing {
  target: ProxyTarget;
  path: string;
  headers: Record<string, string | string[]>;
}

function outgoing(ctx: ApiContext, req: IncomingMessage, info: RequestInfo, r: ResourceInfo, rest: string, keep: ReadonlySet<string> = new Set()): Outgoing {
  const ns = info.namespace ?? '';
  const target = r.plural === 'pods' ? podTarget(ctx, r, ns, info.name!) : serviceTarget(ctx, r, ns, info.name!);
  const rawQuery = info.query.toString();
  const prefix = info.path.slice(0, info.path.length - rest.length);
  const headers = endToEndHeaders(req.headers, CALLER_ONLY, keep);
  const apiHost = req.headers.host ?? req.headers[':authority'] ?? '';
  headers.host = `${target.ip}:${target.port}`;
  headers['x-forwarded-uri'] = `${prefix}${rest}`.replace(/\/{2,}/g, '/');
  headers['x-forwarded-host'] = `${String(apiHost)}${prefix}`;
  headers['x-forwarded-proto'] = 'https';
  const client = req.socket?.remoteAddress;
  if (client) headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${client}` : client;
  return { target, path: `${rest}${rawQuery ? `?${rawQuery}` : ''}`, headers };
}

export async function handleProxy(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  const rest = proxyPath(info.path);
  if (rest === undefined) {
    // UpgradeAwareHandler: a location with an empty path is redirected to the one ending in '/'.
    const rawQuery = info.query.toString();
    res.writeHead(301, { Location: `${info.path}/${rawQuery ? `?${rawQuery}` : ''}` });
    res.end();
    return;
  }
  const { target, path, headers } = outgoing(ctx, req, info, r, rest);
  const stream = await connectTo(ctx, target);
  await new Promise<void>((resolve) => {
    const upstream = http.request({
      method: req.method, path, headers, // no agent: one connection, the tunnel
      createConnection: () => asSocket(stream),
    }, (answer) => {
      const code = answer.statusCode ?? 502;
      const back = endToEndHeaders(answer.headers);
      // HTTP/2 has no reason phrase (Node warns when given one).
      if (req.httpVersionMajor >= 2 || !answer.statusMessage) res.writeHead(code, back);
      else res.writeHead(code, answer.statusMessage, back);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', () => { res.destroy(); resolve(); });
    });
    upstream.on('error', (e) => {
      stream.destroy();
      sendError(res, errors.unavailable(`error trying to reach service: ${dialFailure(target, e)}`));
      resolve();
    });
    res.on('close', () => { if (!res.writableFinished) upstream.destroy(); resolve(); });
    req.pipe(upstream);
  });
}

/**
 * An upgrade (a WebSocket) through pods/proxy or services/proxy: the request goes on to the target as it came (its
 * Connection and Upgrade headers with it, its credentials not), and from there the two connections are joined byte for
 * byte, the target's 101 and frames included.
 */
export async function proxyUpgrade(ctx: ApiContext, req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo, r: ResourceInfo): Promise<void> {
  const { target, path, headers } = outgoing(ctx, req, info, r, proxyPath(info.path) ?? '/', new Set(['connection', 'upgrade']));
  const stream = await connectTo(ctx, target); // what stops it is answered by the upgrade handler, as a Status
  const lines = [`${req.method ?? 'GET'} ${path} HTTP/1.1`];
  for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
  stream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) stream.write(head);
  const close = () => { stream.destroy(); socket.destroy(); };
  stream.on('error', close).on('close', () => socket.end());
  socket.on('error', close).on('close', () => stream.destroy());
  stream.pipe(socket);
  socket.pipe(stream);
}
