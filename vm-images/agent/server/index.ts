// The agent's streaming/metrics server (the kubelet's :10250): logs, exec, attach, port-forward, stats, /metrics (and its
// /resource, /probes and /cadvisor pages) and images. On 127.0.0.1 for the control plane only (its bearer token, through
// the SSH tunnel); with a serving certificate also on the node's address over HTTPS as the kubelet's secure port, for
// whoever in the cluster the API server says may (kubelet-auth.ts: metrics-server, Prometheus), the kubelet's own paths
// only. startAgentServer is what the agent's main calls.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { CriClient } from '../cri/client';
import type { PodManager } from '../pods/manager';
import { authorized } from './auth';
import { serveContainerLogs } from './container-logs';
import { execWebSocketServer, serveExec } from './exec';
import { AgentHttpError, notFound, rejectUpgrade, sendBody, sendError, sendJson } from './http-status';
import { PodLookup } from './pod-lookup';
import { portForwardWebSocketServer, servePortForward } from './port-forward';
import { parseRoute, type AgentRoute } from './routes';
import type { KubeletAuth } from './kubelet-auth';
import { kubeletAuthorizationError, kubeletForbidden, kubeletRequestAttributes } from './kubelet-attributes';
import { serveImages } from './images';
import { kubeletPodList } from './pod-list';
import { resourceMetricsText } from './resource-metrics';
import { PROMETHEUS_TEXT_TYPE, renderPrometheusText } from './prom-render';
import { cadvisorFamilies, type CadvisorScrape } from './cadvisor-metrics';
import type { StatsSummary } from '../../../main/protocol/stats-summary';

export interface AgentServerOptions {
  /** host:port (config.listenAddress, e.g. 127.0.0.1:10250); port 0 picks a free one. */
  listen: string;
  /** config.serverToken: the bearer token the control plane presents. */
  token: string;
  cri: CriClient;
  pods: PodManager;
  /** config.logDir (where the CRI container logs are). */
  logDir: string;
  /** GET /stats/summary answers with this (JSON); GET /metrics/resource renders it. */
  stats?: () => Promise<StatsSummary>;
  /** GET /metrics/cadvisor renders what this reads. */
  cadvisor?: () => Promise<CadvisorScrape>;
  /** GET /configz answers with this (JSON). */
  configz?: () => unknown;
  /** GET /metrics answers with this registry in Prometheus' text format. */
  metrics?: Registry;
  /** GET /metrics/probes answers with this one. */
  probeMetrics?: Registry;
  /** Called after a pull or removal through /images (the node reports its status.images again). */
  onImagesChanged?: () => void;
  /** GET /traces/<pod uid>: the pod's journey spans this node recorded (none when tracing is off). */
  traces?: (podUID: string) => unknown[];
  /** The kubelet's secure port on the node's address; none without a serving certificate. */
  secure?: SecurePortOptions;
}

export interface SecurePortOptions {
  /** The node's InternalIP: served at the same port as `listen`'s (the kubelet has one port). */
  host: string;
  certPem: string;
  keyPem: string;
  /** Client certificates this CA signed authenticate (the cluster CA, the kubelet's clientCAFile). */
  clientCaPem: string;
  nodeName: string;
  auth: KubeletAuth;
  log?: (line: string) => void;
}

export interface AgentServer {
  port: number;
  /** The secure port's, when it serves. */
  securePort?: number;
  close(): Promise<void>;
}

/** Lets a request through or throws its answer (401, 403, …). */
type Gate = (req: http.IncomingMessage, pathname: string, route: AgentRoute | undefined) => Promise<void>;

/** Flotilla's own paths, for the control plane only: not on the secure port. */
const CONTROL_PLANE_ONLY = new Set<AgentRoute['kind']>(['images', 'traces', 'readinessFault']);

function controlPlaneGate(token: string): Gate {
  return (req) => (authorized(req, token) ? Promise.resolve() : Promise.reject(unauthorized()));
}

/** The kubelet's filter: authenticate (else 401 "Unauthorized"), authorize the request's attributes (else 403). */
function kubeletGate(o: SecurePortOptions): Gate {
  return async (req, pathname, route) => {
    const user = await o.auth.authenticate(req).catch((e: unknown) => {
      o.log?.(`kubelet authentication: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    if (!user) throw new AgentHttpError(401, 'Unauthorized', 'Unauthorized', true);
    const attrs = kubeletRequestAttributes(req.method ?? '', pathname, o.nodeName);
    const allowed = await o.auth.authorize(user, attrs).catch((e: unknown) => {
      o.log?.(`kubelet authorization: ${e instanceof Error ? e.message : String(e)}`);
      throw new AgentHttpError(500, 'InternalError', kubeletAuthorizationError(user.name, attrs), true);
    });
    if (!allowed) throw new AgentHttpError(403, 'Forbidden', kubeletForbidden(user.name, attrs), true);
    // A path the kubelet has no handler for (Flotilla's own included): Go's http.NotFound, as the kubelet's mux answers.
    if (!route || CONTROL_PLANE_ONLY.has(route.kind)) throw new AgentHttpError(404, 'NotFound', '404 page not found\n', true);
  };
}

async function listenOn(server: http.Server, listen: string): Promise<number> {
  const { host, port } = splitHostPort(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return (server.address() as AddressInfo).port;
}

const unauthorized = (): AgentHttpError => new AgentHttpError(401, 'Unauthorized', 'Unauthorized');

export function splitHostPort(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  if (i < 0) throw new Error(`listen address needs host:port, got ${JSON.stringify(listen)}`);
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = Number(listen.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port in listen address ${JSON.stringify(listen)}`);
  return { host, port };
}

export async function startAgentServer(opts: AgentServerOptions): Promise<AgentServer> {
  const lookup = new PodLookup(opts.pods, opts.logDir);
  const execWss = execWebSocketServer();
  const pfWss = portForwardWebSocketServer();
  const sockets = new Set<Duplex>();

  const serve = (gate: Gate) => (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://agent');
        const route = parseRoute(url.pathname);
        await gate(req, url.pathname, route);
        if (!route) throw notFound(`no handler for ${url.pathname}`);
        const methods = route.kind === 'readinessFault' ? ['PUT', 'DELETE'] : [route.kind === 'images' && route.action !== 'list' ? 'POST' : 'GET'];
        if (!methods.includes(req.method ?? '')) throw new AgentHttpError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}`);
        switch (route.kind) {
          case 'logs':
            return await serveContainerLogs({ pods: opts.pods, lookup }, res, route.namespace, route.pod, route.container, url.searchParams);
          case 'stats': {
            if (!opts.stats) throw notFound('stats are not available');
            return sendJson(res, 200, await opts.stats());
          }
          case 'metrics': {
            if (!opts.metrics) throw notFound('metrics are not available');
            return sendBody(res, 200, opts.metrics.contentType, await opts.metrics.metrics());
          }
          case 'probeMetrics':
            if (!opts.probeMetrics) throw notFound('probe metrics are not available');
            return sendBody(res, 200, opts.probeMetrics.contentType, await opts.probeMetrics.metrics());
          case 'resourceMetrics': {
            let summary: StatsSummary | undefined;
            try { summary = await opts.stats?.(); } catch { summary = undefined; } // resource_scrape_error 1
            return sendBody(res, 200, PROMETHEUS_TEXT_TYPE, resourceMetricsText(summary));
          }
          case 'cadvisorMetrics':
            if (!opts.cadvisor) throw notFound('container metrics are not available');
            return sendBody(res, 200, PROMETHEUS_TEXT_TYPE, renderPrometheusText(cadvisorFamilies(await opts.cadvisor())));
          case 'pods':
            return sendJson(res, 200, kubeletPodList(opts.pods.pods()));
          case 'configz':
            if (!opts.configz) throw notFound('the configuration is not available');
            return sendJson(res, 200, opts.configz());
          case 'images':
            return await serveImages({ cri: opts.cri, onChanged: opts.onImagesChanged }, route.action, req, res);
          case 'traces': {
            return sendJson(res, 200, opts.traces?.(route.podUID) ?? []);
          }
          case 'readinessFault': {
            const r = opts.pods.forceReadiness(route.podUID, route.container, req.method === 'PUT');
            if (!r.ok) throw new AgentHttpError(r.code, r.code === 404 ? 'NotFound' : 'Conflict', r.message);
            return sendJson(res, 200, { changed: r.changed });
          }
          case 'healthz':
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end('ok');
            return;
          default:
            throw new AgentHttpError(400, 'BadRequest', `${url.pathname} needs a WebSocket upgrade`);
        }
      } catch (e) {
        sendError(res, e);
      }
    })();
  };
  const upgrade = (gate: Gate) => (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://agent');
        const route = parseRoute(url.pathname);
        await gate(req, url.pathname, route);
        if (route?.kind === 'exec' || route?.kind === 'attach') {
          const { namespace, pod, container, kind } = route;
          await serveExec({ cri: opts.cri, lookup, wss: execWss }, req, socket, head, namespace, pod, container, url.searchParams, kind);
        } else if (route?.kind === 'portForward') {
          await servePortForward({ lookup, wss: pfWss }, req, socket, head, route.namespace, route.pod, url.searchParams);
        } else {
          throw notFound(`no upgrade handler for ${url.pathname}`);
        }
      } catch (e) {
        rejectUpgrade(socket, e);
      }
    })();
  };
  const servers: http.Server[] = [];
  const add = (server: http.Server, gate: Gate, connectionEvent: string): http.Server => {
    server.requestTimeout = 0;
    server.on('request', serve(gate));
    server.on('upgrade', upgrade(gate));
    server.on(connectionEvent, (s: Duplex) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    servers.push(server);
    return server;
  };
  const close = (): Promise<void> => {
    lookup.close();
    for (const c of execWss.clients) c.terminate();
    for (const c of pfWss.clients) c.terminate();
    const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const s of sockets) s.destroy();
    return closed.then(() => undefined);
  };
  try {
    const port = await listenOn(add(http.createServer(), controlPlaneGate(opts.token), 'connection'), opts.listen);
    const o = opts.secure;
    let securePort: number | undefined;
    if (o) {
      const secure = add(https.createServer({ cert: o.certPem, key: o.keyPem, ca: o.clientCaPem, requestCert: true, rejectUnauthorized: false }), kubeletGate(o), 'secureConnection');
      // Without it the node still runs its pods and the control plane still reaches it: said, not fatal.
      const at = `${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
      securePort = await listenOn(secure, at).catch((e: unknown) => {
        o.log?.(`not serving the kubelet's secure port on ${at}: ${e instanceof Error ? e.message : String(e)}`);
        servers.splice(servers.indexOf(secure), 1);
        return undefined;
      });
    }
    return { port, ...(securePort ? { securePort } : {}), close };
  } catch (e) {
    await close();
    throw e;
  }
}
