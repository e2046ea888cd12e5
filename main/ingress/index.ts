// The built-in ingress proxy: serves the Ingresses of the `flotilla` class (controller flotilla.dev/ingress) and,
// while the Gateway API's CRDs are installed, the HTTPRoutes of Gateways of the `flotilla` GatewayClass (controller
// flotilla.dev/gateway; main/gateway) on the host, HTTP and HTTPS (SNI), reaching pods through the node agents'
// port-forward tunnels. Wired in main/core.ts.
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { ApiClient } from '../client/types';
import type { AgentEndpoint } from '../protocol/agent-connection';
import { dialPod } from '../tunnel/pod-tunnel';
import { L4Forwarder } from './gateway/l4';
import { GrpcProxy, isGrpc } from './gateway/grpc';
import { GatewayPorts, trackConnections, type Scheme } from './gateway/ports';
import type { ServiceBackend } from './gateway/router';
import type { Target } from '../tunnel/endpoints';
import { GatewayState } from './gateway/state';
import { startGatewayStatus } from './gateway/status';
import { Forwarder } from './forward';
import { IngressState } from './state';
import { startStatusWriter } from './status';
import { SniContexts, type CertPair } from './tls';

export interface IngressProxyOptions {
  /** HTTP port on the host (0: any free port); none without. */
  httpPort?: number;
  /** HTTPS port on the host (0: any free port); none without. */
  httpsPort?: number;
  /** Where to listen (default 127.0.0.1: `*.localhost` names reach it from a browser without /etc/hosts). */
  host?: string;
  /** The certificate for server names no Ingress's TLS covers. */
  defaultCert: CertPair;
  log: (l: string) => void;
}

export interface IngressProxy {
  /** The ports listened on (0 when that listener is off). */
  httpPort: number;
  httpsPort: number;
  stop(): Promise<void>;
}

function listen(server: net.Server, host: string, port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(e.code === 'EADDRINUSE'
        ? new Error(`the ingress proxy cannot listen for ${what} on ${host}:${port}: the port is in use (pick another with --ingress-${what === 'HTTP' ? '' : 'https-'}port, 0 for none)`)
        : new Error(`the ingress proxy cannot listen for ${what} on ${host}:${port}: ${e.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => { server.off('error', onError); resolve((server.address() as AddressInfo).port); });
  });
}

/** Stops a listener and cuts its connections (`shut`, from trackConnections). */
function close(l: { server: net.Server; shut: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (!l.server.listening) { resolve(); return; }
    l.server.once('close', () => resolve());
    l.shut();
  });
}

/** Starts the proxy; without a port it starts nothing. A port in use rejects with a message naming it. */
export async function startIngressProxy(client: ApiClient, agents: AgentEndpoint, o: IngressProxyOptions): Promise<IngressProxy> {
  const host = o.host ?? '127.0.0.1';
  if (o.httpPort === undefined && o.httpsPort === undefined) return { httpPort: 0, httpsPort: 0, stop: () => Promise.resolve() };
  const state = new IngressState(client, o.log);
  const gateway = new GatewayState(state.informers);
  const forwarder = new Forwarder(state, agents, gateway);
  const servers: Array<{ server: net.Server; shut: () => void }> = [];
  const stopAll = async (): Promise<void> => {
    forwarder.close();
    grpc.close();
    await Promise.all(servers.map(close));
  };
  const sni = new SniContexts({ routes: () => state.routes(), secret: (ns, name) => state.secret(ns, name), gatewayCert: (n) => gateway.certFor(n) },
    o.defaultCert, o.log);
  const routeDeps = {
    plan: () => gateway.current(), grants: () => gateway.grants(), pick: (b: ServiceBackend) => forwarder.pickTarget(b),
    dial: (t: Target) => dialPod(agents, t), log: o.log, tlsFor: (b: ServiceBackend) => gateway.tlsFor(b.namespace, b.name, b.port),
  };
  const l4 = new L4Forwarder(routeDeps);
  const grpc = new GrpcProxy(routeDeps);
  // A server of a scheme; `listenerPort` for a Gateway listener's own port (the only place TCP and TLS are served).
  const makeServer = (scheme: Scheme, listenerPort?: number): net.Server => {
    if (scheme === 'tcp') return net.createServer({ allowHalfOpen: true }, (c) => l4.tcp(c, listenerPort ?? 0));
    if (scheme === 'tls-passthrough') return net.createServer({ allowHalfOpen: true }, (c) => l4.passthrough(c, listenerPort ?? 0));
    if (scheme === 'tls-terminate') {
      return tls.createServer({ SNICallback: sni.sniCallback, cert: o.defaultCert.certPem, key: o.defaultCert.keyPem },
        (c) => l4.terminated(c, listenerPort ?? 0));
    }
    if (scheme === 'https') {
      // HTTPS speaks HTTP/2 to clients that offer it (ALPN) and HTTP/1.1 to the rest; gRPC calls go to the gRPC proxy.
      const s = http2.createSecureServer({ allowHTTP1: true, SNICallback: sni.sniCallback, cert: o.defaultCert.certPem, key: o.defaultCert.keyPem });
      s.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
        if (req.httpVersionMajor >= 2) {
          if (isGrpc(req.headers)) {
            // The call is relayed on the stream itself; the compatibility response would send trailers of its own.
            req.stream.removeAllListeners('wantTrailers');
            grpc.serve(req.stream, req.headers, listenerPort);
            return;
          }
          req.headers.host ??= req.headers[':authority'];
        }
        forwarder.handle(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse, 'https', listenerPort);
      });
      s.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => forwarder.upgrade(req, socket, head, 'https', listenerPort));
      return s;
    }
    const s = http.createServer((req, res) => forwarder.handle(req, res, 'http', listenerPort));
    s.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => forwarder.upgrade(req, socket, head, 'http', listenerPort));
    // Cleartext HTTP ports also take gRPC (HTTP/2 with prior knowledge).
    return grpc.front(s, listenerPort);
  };
  const ownServer = (scheme: 'http' | 'https'): { server: net.Server; shut: () => void } => {
    const server = makeServer(scheme);
    return { server, shut: trackConnections(server) };
  };
  let httpPort = 0;
  let httpsPort = 0;
  try {
    if (o.httpPort !== undefined) {
      const s = ownServer('http');
      servers.push(s);
      httpPort = await listen(s.server, host, o.httpPort, 'HTTP');
    }
    if (o.httpsPort !== undefined) {
      const s = ownServer('https');
      servers.push(s);
      httpsPort = await listen(s.server, host, o.httpsPort, 'HTTPS');
    }
  } catch (e) {
    await stopAll();
    throw e;
  }
  // The proxy's own ports serve every HTTP or HTTPS listener naming them, and nothing else.
  const reserved = new Map<number, Scheme>();
  if (httpPort) reserved.set(httpPort, 'http');
  if (httpsPort) reserved.set(httpsPort, 'https');
  const ports = new GatewayPorts(host, (scheme, port) => makeServer(scheme, port), reserved,
    () => gateway.poke(), o.log);
  const stopPorts = gateway.onChange(() => ports.sync(gateway.installed ? gateway.current().ports : new Map()));
  // Tunnels to pods that left every EndpointSlice are closed with their agents.
  const stopPruning = state.onSlicesChange(() => forwarder.agents.retain(state.liveTargets()));
  const stopInformers = state.start();
  const ip = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const stopStatus = startStatusWriter(client, state, { ip, hostname: 'localhost', ports: [httpPort, httpsPort].filter((p) => p !== 0) }, o.log);
  const stopGatewayStatus = startGatewayStatus(client, gateway, { ip, portProblem: (p) => ports.problem(p),
    servedAt: (protocol) => (protocol === 'HTTP' ? httpPort : protocol === 'HTTPS' ? httpsPort : 0) }, o.log);
  o.log(`ingress proxy: ${[httpPort && `http://${host}:${httpPort}`, httpsPort && `https://${host}:${httpsPort}`].filter(Boolean).join(' ')}`);
  return {
    httpPort, httpsPort,
    async stop() {
      stopStatus();
      stopGatewayStatus();
      stopPorts();
      ports.stop();
      gateway.stop();
      stopPruning();
      stopInformers();
      await stopAll();
    },
  };
}
