// The API server: HTTPS on 127.0.0.1, bearer tokens, and routing to discovery, OpenAPI, health
// and resource handlers.
import * as http2 from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { ResourceInfo, SubresourceInfo } from '../api/resources';
import { RESOURCES, convertedResourceFor, resourceFor } from '../api/resources';
import type { Pki } from './pki';
import type { Identity, TokenAuthenticator } from './auth';
import { attributesOf } from './authz/attributes';
import { answerClientError } from './client-error';
import { actingAs } from './authz/impersonation';
import { discardBody, parseRequestInfo } from './request';
import type { RequestInfo } from './request';
import { ApiError, errors, toApiError } from './status';
import type { ApiContext } from './context';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroupInfo, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './discovery';
import { serveOpenAPI } from './openapi/handler';
import { addWarnings, sendError, sendJson } from './handlers/respond';
import { deprecationWarnings, refuseCreateWhileTerminating } from './registry/custom-resources';
import { handleObjectSubresource, handleResource } from './handlers/resource';
import { handleConverted } from './handlers/converted';
import { webhookConverted } from './registry/crd-converted';
import { DISCOVERY_CACHE_CONTROL, JWKS_CONTENT_TYPE, JWKS_PATH, OPENID_CONFIGURATION_PATH, openIDMetadata } from './serviceaccount/issuer-discovery';
import { handleBinding, handleEviction, handleLegacyBinding, handleLog, handleScale } from './handlers/subresources';
import { nodeProxyPath } from './streams/node-proxy';
import { handleProxy, proxyUpgrade } from './streams/pod-proxy';
import { handleMetrics } from './handlers/metrics';
import { handleComponentStatuses } from './handlers/component-statuses';
import { handleReview } from './handlers/reviews';
import { handleTokenRequest } from './handlers/token-request';
import { connectByWebhooks } from './registry/admission/webhooks';
import { serveMetrics } from './metrics/handler';
import { MAX_STREAMS_PER_CONNECTION, asHttp1 } from './http2-compat';
import { FlowControl } from './flowcontrol/filter';
import type { FlowControlOptions } from './flowcontrol/filter';
import { answerHealth, answerHealthCheck, healthChecks, type HealthAnswer, type HealthCheck, type HealthEndpoint } from './health';
import { endWithResponse } from '../protocol/raw-response';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-flotilla',
  gitCommit: 'flotilla',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'flotilla',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export interface ApiServerOptions {
  pki: Pki;
  auth: TokenAuthenticator;
  ctx: ApiContext;
  host?: string;
  port: number;
  /** Called once per request that failed with a 5xx, for logs. */
  onInternalError?: (e: unknown, req: IncomingMessage) => void;
  /** API Priority and Fairness' seats and wait limit (kube-apiserver's defaults when left out). */
  flowControl?: FlowControlOptions;
}

export interface ApiServer {
  server: http2.Http2SecureServer;
  port: number;
  url: string;
  /** API Priority and Fairness: every authenticated request passes it. */
  flowControl: FlowControl;
  close(): Promise<void>;
}

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** Where clients reach this server: `host:port` as net.JoinHostPort writes it, for discovery's serverAddressByClientCIDRs. */
interface Advertised {
  serverAddress: string;
  /** The checks of /healthz, /livez and /readyz (health.ts). */
  health: Record<HealthEndpoint, HealthCheck[]>;
}

function advertisedAddress(a: AddressInfo): string {
  // A wildcard listener is reached on loopback (the server is local by design).
  const host = a.address === '0.0.0.0' ? '127.0.0.1' : a.address === '::' ? '::1' : a.address;
  return host.includes(':') ? `[${host}]:${a.port}` : `${host}:${a.port}`;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { ctx } = opts;
  let stopping = false;
  const advertised: Advertised = { serverAddress: '', health: healthChecks(ctx.store, () => stopping) };
  const flowControl = new FlowControl(opts.flowControl, ctx.instruments?.flowControl);
  // Client certificates are asked for, verified against the cluster CA, never required (auth.ts, client-cert.ts).
  const tls = { cert: opts.pki.serverCertPem, key: opts.pki.serverKeyPem, ca: opts.pki.caCertPem, requestCert: true, rejectUnauthorized: false };
  // HTTP/2 and HTTP/1.1 by ALPN (http2-compat.ts); upgrades arrive on HTTP/1.1 connections.
  const server = http2.createSecureServer({ ...tls, allowHTTP1: true, settings: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION } }, (req, res) => {
    const [r1, s1] = asHttp1(req, res);
    void handle(opts, flowControl, advertised, r1, s1);
  });
  // The HTTP/1.1 side's timeouts (read by Node's HTTP/1 connection handling on this server).
  Object.assign(server, { keepAliveTimeout: 65_000, headersTimeout: 70_000, requestTimeout: 0 }); // watches and log follows stay open
  server.setTimeout(0);
  server.on('sessionError', () => undefined); // a broken HTTP/2 session ends its own streams; the server goes on
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void handleUpgrade(opts, req, socket, head);
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  advertised.serverAddress = advertisedAddress(server.address() as AddressInfo);
  const sockets = new Set<Duplex>();
  const track = (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    flowControl,
    close: () => new Promise<void>((resolve) => {
      stopping = true;
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      void ctx;
    }),
  };
}

const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function handle(opts: ApiServerOptions, flowControl: FlowControl, advertised: Advertised, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const instruments = opts.ctx.instruments;
  let info: RequestInfo | undefined;
  if (instruments) {
    const ended = instruments.requests.begin(req.method ?? 'GET');
    res.once('close', () => ended(info, res.statusCode, req.headers['content-type']));
  }
  try {
    const url = req.url ?? '/';
    const raw = url.split('?')[0];
    // /version/ is /version (its go-restful web service routes its root with and without the slash).
    const pathOnly = raw === '/version/' ? '/version' : raw;
    if (PUBLIC_PATHS.has(pathOnly)) {
      // Public to anonymous requests only: credentials that are presented must be valid (401 otherwise), as in Kubernetes.
      if (req.headers.authorization !== undefined && !(await opts.auth.authenticate(req))) throw errors.unauthorized();
      await discardBody(req);
      if (pathOnly === '/version') sendJson(res, 200, SERVER_VERSION);
      else {
        const endpoint = pathOnly.slice(1) as HealthEndpoint;
        sendHealth(res, answerHealth(endpoint, advertised.health[endpoint], new URLSearchParams(url.split('?')[1] ?? '')), (e) => opts.onInternalError?.(e, req));
      }
      return;
    }
    const requester = await opts.auth.authenticate(req);
    if (!requester) throw errors.unauthorized();
    const identity = impersonated(opts.ctx, req, requester);
    info = parseRequestInfo(req.method ?? 'GET', url);
    // API Priority and Fairness (after impersonation, before authorization, as kube-apiserver): a seat, a queue or 429.
    // The seat is held until route() returns: for a watch, once it is initialized; the stream goes on without it.
    const ticket = await flowControl.admit(identity, info, req.method ?? 'GET', res);
    try {
      // A group version an APIService serves from elsewhere: authorized here, then handed to its server (the seat
      // released: the request is delegated, as kube-aggregator's proxy marks it).
      const remote = opts.ctx.aggregator?.remoteFor(info.path);
      if (remote) {
        authorize(opts.ctx, identity, info, req.method ?? 'GET');
        ticket.release();
        await opts.ctx.aggregator!.proxy(remote, req, res, identity);
        return;
      }
      if (instruments && info.isResource && (info.verb === 'watch' || info.legacyWatch)) res.once('close', instruments.requests.longRunning(info, 'WATCH'));
      // Only writes to resources read a body: any other is read to its end first (see discardBody).
      if (!info.isResource || !BODY_METHODS.has(req.method ?? 'GET')) await discardBody(req);
      // Discovery, OpenAPI and the other non-resource paths are authorized here; resources in route().
      if (!info.isResource) authorize(opts.ctx, identity, info, req.method ?? 'GET');
      await route(opts.ctx, advertised, identity, req, res, info);
    } finally {
      ticket.release();
    }
  } catch (e) {
    const err = toApiError(e);
    if (err.code >= 500) opts.onInternalError?.(e, req);
    await discardBody(req);
    sendError(res, err);
  }
}

/** The user the request acts as (impersonation headers, checked), or the requester. */
function impersonated(ctx: ApiContext, req: IncomingMessage, requester: Identity): Identity {
  return ctx.auth ? actingAs(req, requester, ctx.auth.authorizer) : requester;
}

/** Throws 403 unless `identity` may make this request. */
function authorize(ctx: ApiContext, identity: Identity, info: RequestInfo, method: string): void {
  ctx.auth?.authorizer.authorize(attributesOf(identity, info, method));
}

/** A health answer as text/plain (healthz.go's headers); failed checks' reasons to the log only. */
function sendHealth(res: ServerResponse, a: HealthAnswer, log: (e: Error) => void): void {
  if (a.failures.length) log(new Error(`health check failed: ${a.failures.join('; ')}`));
  res.writeHead(a.status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(a.body);
}

const HEALTH_CHECK_PATH = /^\/(healthz|livez|readyz)\/(.+)$/;

async function route(ctx: ApiContext, advertised: Advertised, identity: Identity, req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> {
  const p = info.path.replace(/\/+$/, '') || '/';
  if (!info.isResource) {
    const health = HEALTH_CHECK_PATH.exec(p);
    if (health) {
      const answer = answerHealthCheck(advertised.health[health[1] as HealthEndpoint], health[2]);
      if (!answer) throw errors.pathNotFound();
      sendHealth(res, answer, () => undefined);
      return;
    }
    if ((p === OPENID_CONFIGURATION_PATH || p === JWKS_PATH) && ctx.auth && (req.method === 'GET' || req.method === 'HEAD')) {
      const keys = [ctx.auth.issuer.verificationKey()];
      const jwks = p === JWKS_PATH;
      res.setHeader('Cache-Control', DISCOVERY_CACHE_CONTROL);
      sendJson(res, 200, jwks ? { keys } : openIDMetadata(keys), jwks ? JWKS_CONTENT_TYPE : 'application/json');
      return;
    }
    if (p === '/api') {
      if (wantsAggregated(req.headers.accept)) sendJson(res, 200, aggregatedDiscovery(true), AGGREGATED_CONTENT_TYPE);
      else sendJson(res, 200, apiVersions(advertised.serverAddress));
      return;
    }
    if (p === '/apis') {
      const remote = ctx.aggregator?.remoteGroupVersions() ?? [];
      if (wantsAggregated(req.headers.accept)) sendJson(res, 200, aggregatedDiscovery(false, remote), AGGREGATED_CONTENT_TYPE);
      else sendJson(res, 200, apiGroupList(remote));
      return;
    }
    let m = /^\/api\/(v1)$/.exec(p);
    if (m) {
      sendJson(res, 200, apiResourceList('', m[1]));
      return;
    }
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) {
      const list = apiResourceList(m[1], m[2]);
      if (!list) throw errors.pathNotFound();
      sendJson(res, 200, list);
      return;
    }
    m = /^\/apis\/([^/]+)$/.exec(p);
    if (m) {
      const g = apiGroupInfo(m[1], ctx.aggregator?.remoteGroupVersions());
      if (!g) throw errors.pathNotFound();
      sendJson(res, 200, g);
      return;
    }
    if (serveOpenAPI(req, res, p, info.query, ctx.aggregator?.openapiPaths())) return;
    if (p === '/metrics' && ctx.instruments && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveMetrics(ctx.instruments.registry, res);
      return;
    }
    throw errors.pathNotFound();
  }
  const method = req.method ?? 'GET';
  const converted = convertedResourceFor(info.group, info.version, info.resource);
  if (converted) {
    if (info.legacyWatch) throw errors.methodNotAllowed();
    authorize(ctx, identity, info, method);
    return handleConverted(ctx, req, res, info, converted, identity);
  }
  const r = resourceFor(info.group, info.version, info.resource);
  if (!r) throw errors.pathNotFound();
  if (r.virtual) {
    authorize(ctx, identity, info, method);
    if (r.group === 'metrics.k8s.io') await handleMetrics(ctx, res, info, r);
    else if (r.group === '' && r.plural === 'componentstatuses') handleComponentStatuses(ctx, req, res, info);
    else if (r.group === '' && r.plural === 'bindings') await handleLegacyBinding(ctx, req, res, info);
    else await handleReview(ctx, req, res, info, r, identity);
    return;
  }
  authorize(ctx, identity, info, method);
  addWarnings(res, deprecationWarnings(r));
  refuseCreateWhileTerminating(r, info.verb);
  const sub = info.subresource;
  // A CRD with a conversion webhook: its objects change version through it (the scale subresource reads and writes
  // them in the storage version, by that version's scale paths).
  const viaWebhook = sub === 'scale' ? undefined : webhookConverted(r);
  if (viaWebhook) {
    if (info.legacyWatch) throw errors.methodNotAllowed();
    return handleConverted(ctx, req, res, info, viaWebhook, identity);
  }
  if (!sub) return handleResource(ctx, req, res, info, r, identity);
  if (info.legacyWatch) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const served = r.subresources.find((s) => s.name === sub);
  if (!served) throw errors.pathNotFound();
  if (!served.verbs.includes(info.verb)) throw errors.methodNotAllowed();
  // (Only the scale subresource of a webhook-converted CRD comes here; it goes through the storage version's row.)
  return SUBRESOURCE_HANDLERS[served.name](ctx, req, res, info, r.storageRow ?? r, identity);
}

type SubresourceHandler = (ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo, identity: Identity) => Promise<void>;

/** Subresources served over an upgraded (streaming) connection only. */
const STREAMS = ['exec', 'attach', 'portforward'] as const;
type StreamSubresource = (typeof STREAMS)[number];

function isStream(sub: string | undefined): sub is StreamSubresource {
  return (STREAMS as readonly string[]).includes(sub ?? '');
}

const needsUpgrade: SubresourceHandler = (_ctx, _req, _res, info) => {
  throw errors.badRequest(`${info.subresource} needs a streaming (upgrade) connection`);
};

/** The handler of every subresource the resource table can name. */
const SUBRESOURCE_HANDLERS: Record<SubresourceInfo['name'], SubresourceHandler> = {
  status: handleObjectSubresource,
  finalize: handleObjectSubresource,
  approval: handleObjectSubresource,
  ephemeralcontainers: handleObjectSubresource,
  scale: handleScale,
  binding: handleBinding,
  eviction: handleEviction,
  log: handleLog,
  exec: needsUpgrade,
  attach: needsUpgrade,
  portforward: needsUpgrade,
  proxy: (ctx, req, res, info, r) => (r.plural === 'nodes' ? handleNodeProxy(ctx, req, res, info, r) : handleProxy(ctx, req, res, info, r)),
  token: handleTokenRequest,
};

/** nodes/proxy: to the node's agent (its kubelet server), for a Node that exists. */
async function handleNodeProxy(ctx: ApiContext, _req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo): Promise<void> {
  const node = ctx.registry.get(r, undefined, info.name!);
  if (!ctx.pods) throw errors.unavailable(`no connection to node "${node.metadata.name}"`);
  await ctx.pods.nodeProxy(node.metadata.name, nodeProxyPath(info.path), info.query, res);
}

/** `pods/exec, pods/attach, pods/portforward, pods/proxy and services/proxy`: what is served over an upgraded connection. */
const STREAM_PATHS = ((paths: string[]) => `${paths.slice(0, -1).join(', ')} and ${paths[paths.length - 1]}`)([
  ...RESOURCES.flatMap((r) => r.subresources.filter((s) => isStream(s.name)).map((s) => `${r.plural}/${s.name}`)),
  'pods/proxy', 'services/proxy',
]);

async function handleUpgrade(opts: ApiServerOptions, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const fail = (err: ApiError) => endWithResponse(socket, err.code, 'application/json', JSON.stringify(err.toStatus()), { reason: err.reason });
  try {
    const requester = await opts.auth.authenticate(req);
    if (!requester) throw errors.unauthorized();
    const identity = impersonated(opts.ctx, req, requester);
    const info = parseRequestInfo('GET', req.url ?? '/');
    const sub = info.subresource;
    const r = info.isResource ? resourceFor(info.group, info.version, info.resource) : undefined;
    if (r && info.name && sub === 'proxy' && (r.plural === 'pods' || r.plural === 'services') && r.group === '') {
      authorize(opts.ctx, identity, { ...info, verb: 'get' }, 'GET');
      await proxyUpgrade(opts.ctx, req, socket, head, info, r);
      return;
    }
    if (!r || !info.name || !isStream(sub) || !r.subresources.some((s) => s.name === sub)) {
      throw errors.badRequest(`upgrade requests are only served for ${STREAM_PATHS}`);
    }
    authorize(opts.ctx, identity, { ...info, verb: 'create' }, 'POST');
    const pod = opts.ctx.registry.get(r, info.namespace, info.name);
    await connectByWebhooks(opts.ctx.registry.webhooks, r, sub, pod, info.query, identity);
    const nodeName = (pod as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (!nodeName) throw errors.badRequest(`pod ${info.name} does not have a host assigned`);
    if (!opts.ctx.pods) throw errors.unavailable(`no connection to node "${nodeName}"`);
    await opts.ctx.pods.upgrade(pod, sub, req, socket, head);
  } catch (e) {
    fail(toApiError(e));
  }
}
