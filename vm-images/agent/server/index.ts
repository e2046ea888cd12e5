// The agent's streaming/metrics server (the kubelet's :10250): logs, exec, attach, port-forward, stats, /metrics (and its
// /resource, /probes and /cadvisor pages) and images,
// for the control plane only (bearer token). startAgentServer is what the agent's main calls.
import * as http from 'node:http';
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
import { parseRoute } from './routes';
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
}

export interface AgentServer {
  port: number;
  close(): Promise<void>;
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

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        if (!authorized(req, opts.token)) throw unauthorized();
        const url = new URL(req.url ?? '/', 'http://agent');
        const route = parseRoute(url.pathname);
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
  });
  server.requestTimeout = 0;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    void (async () => {
      try {
        if (!authorized(req, opts.token)) throw unauthorized();
        const url = new URL(req.url ?? '/', 'http://agent');
        const route = parseRoute(url.pathname);
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
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  const { host, port } = splitHostPort(opts.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      lookup.close();
      for (const c of execWss.clients) c.terminate();
      for (const c of pfWss.clients) c.terminate();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}
