// The Gateway API on the built-in proxy without nodes: the upstream v1.6.1 CRDs installed with kubectl as a user
// does, a real API server, the proxy with the real agent port-forward handler in a stand-in agent whose "pods" are
// local HTTP servers. The GatewayClass `flotilla` appears and is Accepted; a Gateway gets its address and listener
// status (kubectl's columns); HTTPRoutes route by hostname, path, method, header and query; filters rewrite, redirect,
// modify headers both ways and mirror; weights split traffic; a backend in another namespace needs a ReferenceGrant;
// HTTPS listeners serve their Secret's certificate by SNI; a listener's own port is listened on; Ingresses still
// take hosts no Gateway listener takes; a WebSocket passes through a route.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { WebSocket, WebSocketServer, type ClientOptions } from 'ws';
import { startIngressProxy, type IngressProxy } from '../../../main/ingress';
import { wsExchange } from '../../helpers/ws-exchange';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { connectionRefused, freePort } from '../../helpers/free-port';
import { closeServer, listenLocal, localService, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';

const run = promisify(execFile);
const FIXTURE = path.join(__dirname, '../../fixtures/gateway-api/crds');

let c: TestCluster;
let agent: StandinAgent;
let proxy: IngressProxy;
const pods: http.Server[] = [];
const l4Servers: net.Server[] = [];
const grpcServers: grpc.Server[] = [];
const mirrored: string[] = [];
let listenerPort = 0;
// Listener ports are free ones: the proxy listens on each (as root, port 80 or 443 would be the host's).
let httpListener = 0;
let httpsListener = 0;

interface Echo { pod: string; method: string; url: string; headers: Record<string, string> }
interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A "pod": answers with its name and the request it got (and records requests when it is the mirror). */
async function pod(name: string): Promise<number> {
  const s = http.createServer((req, res) => {
    if (name === 'mirror') mirrored.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.setHeader('x-pod', name);
    res.setHeader('x-drop-me', 'yes');
    res.end(JSON.stringify({ pod: name, method: req.method, url: req.url, headers: req.headers }));
  });
  if (name === 'web') new WebSocketServer({ server: s }).on('connection', (ws, req) => ws.on('message', (m: Buffer) => ws.send(`${req.url ?? ''} ${m.toString()}`)));
  pods.push(s);
  return listenLocal(s);
}

function request(host: string, p: string, o: { method?: string; headers?: Record<string, string>; port?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: o.port ?? proxy.httpPort, path: p, method: o.method ?? 'GET', headers: { Host: host, ...o.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    // A request the proxy leaves unanswered fails, so a waitFor polling with it keeps to its deadline.
    req.setTimeout(10_000, () => req.destroy(new Error(`${host}${p}: no answer in 10 s`)));
    req.end();
  });
}

const echo = async (host: string, p: string, o: Parameters<typeof request>[2] = {}): Promise<Echo> => {
  const r = await request(host, p, o);
  if (r.status !== 200) throw new Error(`${host}${p}: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as Echo;
};

/** A Service named `name` in `ns` whose one endpoint is the local server on `port`. */
const service = (name: string, port: number, ns = 'default'): string => localService(name, port, { namespace: ns });

/** A self-signed certificate and key for `cn` (files in the test's dir). */
async function selfSigned(cn: string): Promise<{ crt: string; key: string; pem: Buffer }> {
  const dir = fs.mkdtempSync(path.join(c.dir, 'tls-'));
  const crt = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${cn}`,
    '-addext', `subjectAltName=DNS:${cn}`, '-keyout', key, '-out', crt]);
  return { crt, key, pem: fs.readFileSync(crt) };
}

/** A TCPRoute or TLSRoute on a listener of the Gateway `l4`, to one Service. */
const l4Route = (kind: string, name: string, section: string, backend: string, host?: string): string => `---
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: l4, sectionName: ${section} }]
${host ? `  hostnames: [${host}]\n` : ''}  rules: [{ backendRefs: [{ name: ${backend}, port: 80 }] }]
`;

/** A GET over HTTP/2 with TLS (ALPN h2); `ca` undefined: the certificate is not checked. */
function h2Get(port: number, host: string, p: string, ca: Buffer | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { servername: host, ...(ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false }) });
    session.on('error', reject);
    const req = session.request({ ':path': p, ':authority': host });
    let body = '';
    req.on('response', (h) => { if (h[':status'] !== 200) reject(new Error(`status ${String(h[':status'])}`)); });
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => { session.close(); resolve(body); });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `text` over a connection and resolves with what comes back first. */
function exchange(socket: net.Socket | tls.TLSSocket, text: string, ready: 'connect' | 'secureConnect'): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once(ready, () => socket.write(text));
    socket.once('data', (d: Buffer) => { resolve(d.toString()); socket.destroy(); });
    socket.once('error', reject);
  });
}

const condition = async (kind: string, name: string, jsonpath: string): Promise<string> => c.kubectlOk(['get', kind, name, '-o', `jsonpath=${jsonpath}`]);

beforeAll(async () => {
  c = await startTestCluster();
  agent = await startStandinAgent();
  // The certificate for names no listener or Ingress covers (serve passes the control plane's).
  const fallback = await selfSigned('default.local');
  proxy = await startIngressProxy(c.core.client, agent.endpoint, { httpPort: 0, httpsPort: 0, log: (l) => c.logs.push(l),
    defaultCert: { certPem: fs.readFileSync(fallback.crt, 'utf8'), keyPem: fs.readFileSync(fallback.key, 'utf8') } });
  // The CRDs come after the proxy, as when a user installs the Gateway API on a running cluster.
  await c.kubectlOk(['apply', '--server-side', '-f', FIXTURE], { timeoutMs: 60_000 });
  await c.kubectlOk(['create', 'namespace', 'other']);
  const ports = { web: await pod('web'), api: await pod('api'), canary: await pod('canary'), mirror: await pod('mirror'), remote: await pod('remote') };
  listenerPort = await freePort();
  httpListener = await freePort();
  httpsListener = await freePort();
  await c.kubectlOk(['apply', '-f', '-'], { input: `${service('web', ports.web)}${service('api', ports.api)}${service('canary', ports.canary)}${service('mirror', ports.mirror)}${service('remote', ports.remote, 'other')}
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: flotilla
  listeners:
  - { name: http, port: ${httpListener}, protocol: HTTP }
  - { name: own-port, port: ${listenerPort}, protocol: HTTP, hostname: own.local }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  hostnames: [shop.local]
  rules:
  - backendRefs: [{ name: web, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: { set: [{ name: x-env, value: test }], add: [{ name: x-tag, value: b }], remove: [x-secret] }
    - type: ResponseHeaderModifier
      responseHeaderModifier: { add: [{ name: x-served-by, value: gateway }], remove: [x-drop-me] }
    backendRefs: [{ name: api, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /api }, method: DELETE }]
    backendRefs: [{ name: remote, namespace: other, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /api }, headers: [{ name: x-canary, value: "yes" }] }, { path: { type: PathPrefix, value: /api }, queryParams: [{ name: canary, value: "1" }] }]
    backendRefs: [{ name: canary, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /store } }]
    filters: [{ type: URLRewrite, urlRewrite: { hostname: store.internal, path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } } }]
    backendRefs: [{ name: web, port: 80 }]
  - matches: [{ path: { type: Exact, value: /old } }]
    filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, path: { type: ReplaceFullPath, replaceFullPath: /new }, statusCode: 301 } }]
  - matches: [{ path: { type: PathPrefix, value: /copy } }]
    filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: mirror, port: 80 } } }]
    backendRefs: [{ name: web, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /split } }]
    backendRefs: [{ name: web, port: 80, weight: 1 }, { name: canary, port: 80, weight: 1 }, { name: api, port: 80, weight: 0 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: own }
spec:
  parentRefs: [{ name: gw, sectionName: own-port }]
  rules: [{ backendRefs: [{ name: canary, port: 80 }] }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: legacy }
spec:
  rules:
  - host: legacy.local
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }] }
` });
  await waitFor(async () => (await request('shop.local', '/')).status === 200, 'the gateway to route shop.local', 30_000);
}, 90_000);

afterAll(async () => {
  await proxy?.stop();
  await agent?.close();
  for (const s of pods) await closeServer(s);
  for (const s of l4Servers) s.close();
  for (const s of grpcServers) s.forceShutdown();
  await c?.stop();
});

describe('the Gateway API on the built-in proxy', () => {
  it('installs and accepts its GatewayClass, and programs the Gateway with its address and listener status', async () => {
    await waitFor(async () => (await condition('gatewayclass', 'flotilla', '{.status.conditions[?(@.type=="Accepted")].status}')) === 'True', 'the class accepted', 20_000);
    expect(await condition('gatewayclass', 'flotilla', '{.spec.controllerName}')).toBe('flotilla.dev/gateway');
    const row = await waitFor(async () => {
      const r = (await c.kubectlOk(['get', 'gateway', 'gw', '--no-headers'])).trim().split(/\s+/);
      return r[3] === 'True' ? r : undefined;
    }, 'the Gateway programmed', 20_000);
    expect(row.slice(0, 4)).toEqual(['gw', 'flotilla', '127.0.0.1', 'True']);
    const attached = await waitFor(async () => {
      const a = await condition('gateway', 'gw', '{.status.listeners[*].attachedRoutes}');
      return a === '1 1' ? a : undefined;
    }, 'both routes counted', 20_000);
    expect(attached).toBe('1 1');
    const parents = JSON.parse(await condition('httproute', 'shop', '{.status.parents}')) as Array<{ controllerName: string; conditions: Array<{ type: string; status: string; reason: string }> }>;
    expect(parents.map((p) => p.controllerName)).toEqual(['flotilla.dev/gateway']);
    // The DELETE rule's backend is in another namespace without a ReferenceGrant.
    expect(parents[0]?.conditions.map((x) => `${x.type}=${x.status}/${x.reason}`)).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=False/RefNotPermitted']);
    // No write of the gateway's failed (a conflict, a create of a class that exists).
    expect(c.logs.filter((l) => l.startsWith('gateway: ') && !l.startsWith('gateway: listening'))).toEqual([]);
  });

  it('routes by path, method, header and query, modifying request and response headers', async () => {
    expect((await echo('shop.local', '/anything')).pod).toBe('web');
    const api = await request('shop.local', '/api/items', { headers: { 'x-tag': 'a', 'x-secret': 'hide', 'x-env': 'prod' } });
    const got = JSON.parse(api.body) as Echo;
    expect(got.pod).toBe('api');
    expect([got.headers['x-env'], got.headers['x-tag'], got.headers['x-secret']]).toEqual(['test', 'a,b', undefined]);
    expect([api.headers['x-served-by'], api.headers['x-drop-me'], api.headers['x-pod']]).toEqual(['gateway', undefined, 'api']);
    expect((await echo('shop.local', '/api/items', { headers: { 'x-canary': 'yes' } })).pod).toBe('canary');
    expect((await echo('shop.local', '/api/items?canary=1')).pod).toBe('canary');
    expect((await echo('SHOP.local:80', '/api')).pod).toBe('api');
  });

  it('answers 500 for a backend in another namespace until a ReferenceGrant allows it', async () => {
    const before = await request('shop.local', '/api/x', { method: 'DELETE' });
    expect(before.status).toBe(500);
    expect(before.body).toBe('500 Internal Server Error: backendRef Service other/remote of HTTPRoute default/shop is not valid (see the route\'s ResolvedRefs condition)\n');
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: from-default, namespace: other }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default }]
  to: [{ group: "", kind: Service }]
` });
    const after = await waitFor(async () => {
      const r = await request('shop.local', '/api/x', { method: 'DELETE' });
      return r.status === 200 ? JSON.parse(r.body) as Echo : undefined;
    }, 'the granted backend', 20_000);
    expect(after.pod).toBe('remote');
    await waitFor(async () => (await condition('httproute', 'shop', '{.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}')) === 'True',
      'ResolvedRefs true', 20_000);
  });

  it('rewrites, redirects and mirrors', async () => {
    const rewritten = await echo('shop.local', '/store/cart?id=7');
    expect([rewritten.pod, rewritten.url, rewritten.headers.host]).toEqual(['web', '/v2/cart?id=7', 'store.internal']);
    const moved = await request('shop.local:8080', '/old?x=1');
    expect([moved.status, moved.headers.location]).toEqual([301, 'https://shop.local/new?x=1']);
    mirrored.length = 0;
    expect((await echo('shop.local', '/copy/me', { method: 'POST' })).pod).toBe('web');
    await waitFor(async () => Promise.resolve(mirrored.includes('POST /copy/me')), 'the mirror to get a copy', 10_000);
  });

  it('splits traffic by weight, never to a weight of 0', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await echo('shop.local', '/split')).pod);
    expect([...seen].sort()).toEqual(['canary', 'web']);
  });

  it('answers CORS preflights itself, adds CORS headers for allowed origins only, and times out a slow pod with 504', async () => {
    const slow = http.createServer((_req, res) => { setTimeout(() => res.end('late'), 3_000).unref(); });
    pods.push(slow);
    await c.kubectlOk(['apply', '-f', '-'], { input: `${service('slow', await listenLocal(slow))}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: cors }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  hostnames: [cors.local]
  rules:
  - filters:
    - type: CORS
      cors: { allowOrigins: ["https://app.local", "https://*.dev.local"], allowMethods: [GET, POST], allowHeaders: [x-token], allowCredentials: true,
              exposeHeaders: [x-pod], maxAge: 60 }
    backendRefs: [{ name: web, port: 80 }]
  - matches: [{ path: { type: PathPrefix, value: /slow } }]
    timeouts: { request: 300ms }
    backendRefs: [{ name: slow, port: 80 }]
` });
    await waitFor(async () => (await request('cors.local', '/')).status === 200, 'the CORS route', 20_000);
    const preflight = await request('cors.local', '/api', { method: 'OPTIONS',
      headers: { origin: 'https://a.b.dev.local', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-token' } });
    expect(preflight.status).toBe(204);
    expect([preflight.headers['access-control-allow-origin'], preflight.headers['access-control-allow-methods'], preflight.headers['access-control-allow-headers'],
      preflight.headers['access-control-allow-credentials'], preflight.headers['access-control-max-age']])
      .toEqual(['https://a.b.dev.local', 'GET, POST', 'x-token', 'true', '60']);
    const allowed = await request('cors.local', '/', { headers: { origin: 'https://app.local' } });
    expect([allowed.status, allowed.headers['access-control-allow-origin'], allowed.headers['access-control-expose-headers']]).toEqual([200, 'https://app.local', 'x-pod']);
    const denied = await request('cors.local', '/', { headers: { origin: 'https://evil.example' } });
    expect([denied.status, denied.headers['access-control-allow-origin']]).toEqual([200, undefined]);
    const late = await request('cors.local', '/slow');
    expect(late.status).toBe(504);
    expect(late.body).toMatch(/^504 Gateway Timeout: pod default\/slow-0 port \d+ did not answer within 300 ms \(the timeouts of HTTPRoute default\/cors\)\n$/);
  });

  it('passes a WebSocket through a route', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.httpPort}/store/chat`, { headers: { Host: 'shop.local' } });
    const reply = await wsExchange(ws, 'hi');
    expect(reply).toBe('/v2/chat hi');
  });

  it('listens on a listener\'s own port, serving only that listener\'s routes', async () => {
    expect((await echo('own.local', '/', { port: listenerPort })).pod).toBe('canary');
    const wrongHost = await request('shop.local', '/', { port: listenerPort });
    expect(wrongHost.status).toBe(404);
    expect((await echo('own.local', '/')).pod).toBe('canary'); // the proxy's own port serves every listener
  });

  it('on the proxy\'s own port, leaves to an Ingress rule what only a hostname-less route would take', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: fallback }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  rules: [{ backendRefs: [{ name: canary, port: 80 }] }]
` });
    await waitFor(async () => (await echo('anything.local', '/').catch(() => undefined))?.pod === 'canary', 'the catch-all route', 20_000);
    expect((await echo('legacy.local', '/')).pod).toBe('api'); // the Ingress rule
    expect((await echo('shop.local', '/')).pod).toBe('web'); // a route naming the host still comes first
    expect((await echo('anything.local', '/', { port: httpListener })).pod).toBe('canary'); // the listener's own port is the Gateway's alone
    expect((await echo('legacy.local', '/', { port: httpListener })).pod).toBe('canary');
    await c.kubectlOk(['delete', 'httproute', 'fallback']);
    await waitFor(async () => (await request('anything.local', '/')).status === 404, 'the catch-all gone', 20_000);
  });

  it('leaves hosts no listener takes to the Ingresses', async () => {
    await c.kubectlOk(['patch', 'gateway', 'gw', '--type=json', '-p', '[{"op":"add","path":"/spec/listeners/0/hostname","value":"shop.local"}]']);
    await waitFor(async () => (await echo('legacy.local', '/').catch(() => undefined))?.pod === 'api', 'the Ingress to take legacy.local', 20_000);
    expect((await echo('shop.local', '/')).pod).toBe('web');
  });

  it('serves an HTTPS listener\'s certificate by SNI, and reports a missing one', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: secure }
spec:
  gatewayClassName: flotilla
  listeners: [{ name: https, port: ${httpsListener}, protocol: HTTPS, hostname: secure.local, tls: { certificateRefs: [{ name: secure-tls }] } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: secure }
spec:
  parentRefs: [{ name: secure }]
  rules:
  - backendRefs: [{ name: api, port: 80 }]
  - { matches: [{ path: { type: PathPrefix, value: /ws } }], backendRefs: [{ name: web, port: 80 }] }
` });
    const refused = await waitFor(async () => {
      const r = await condition('gateway', 'secure', '{.status.listeners[0].conditions[?(@.type=="ResolvedRefs")].reason}');
      return r || undefined;
    }, 'the listener status', 20_000);
    expect(refused).toBe('InvalidCertificateRef');
    const { crt, key, pem: ca } = await selfSigned('secure.local');
    await c.kubectlOk(['create', 'secret', 'tls', 'secure-tls', `--cert=${crt}`, `--key=${key}`]);
    const get = (port: number) => new Promise<string | undefined>((resolve) => {
      https.get({ host: '127.0.0.1', port, path: '/', servername: 'secure.local', headers: { Host: 'secure.local' }, ca, agent: false,
        checkServerIdentity: () => undefined }, (res) => {
        let b = '';
        res.setEncoding('utf8').on('data', (d: string) => (b += d)).on('end', () => resolve(res.statusCode === 200 ? b : undefined));
      }).on('error', () => resolve(undefined));
    });
    const body = await waitFor(() => get(proxy.httpsPort), 'the Secret\'s certificate served', 30_000);
    expect((JSON.parse(body) as Echo).pod).toBe('api');
    const own = await waitFor(() => get(httpsListener), 'the listener\'s own HTTPS port', 30_000);
    expect((JSON.parse(own) as Echo).pod).toBe('api');
    // A client that offers HTTP/2 (ALPN) gets it: the pod sees the request's host and scheme as over HTTP/1.1.
    const viaH2 = JSON.parse(await h2Get(proxy.httpsPort, 'secure.local', '/h2', ca)) as Echo;
    expect([viaH2.pod, viaH2.url, viaH2.headers.host, viaH2.headers['x-forwarded-proto']]).toEqual(['api', '/h2', 'secure.local', 'https']);
    expect((JSON.parse(await h2Get(proxy.httpsPort, 'legacy.local', '/', undefined)) as Echo).pod).toBe('api'); // an Ingress rule over HTTP/2
    // WebSockets keep HTTP/1.1 on the same port (as browsers open them beside an HTTP/2 connection).
    const wsOptions: ClientOptions & tls.ConnectionOptions = { headers: { Host: 'secure.local' }, servername: 'secure.local', ca }; // ws hands TLS options on
    const ws = new WebSocket(`wss://127.0.0.1:${proxy.httpsPort}/ws/chat`, wsOptions);
    const echoed = await wsExchange(ws, 'hi');
    expect(echoed).toBe('/ws/chat hi');
  });

  it('serves TCPRoutes, TLSRoutes passed through by SNI and TLSRoutes terminated with the listener\'s certificate', async () => {
    // Pods: a TCP echo, and a TLS server with its own certificate (passthrough must show the pod's, not the gateway's).
    const tcpEcho = net.createServer((s) => s.on('data', (d: Buffer) => s.write(`tcp:${d.toString()}`)).on('error', () => undefined));
    const podCert = await selfSigned('db.local');
    const tlsEcho = tls.createServer({ cert: fs.readFileSync(podCert.crt), key: fs.readFileSync(podCert.key) },
      (s) => s.on('data', (d: Buffer) => s.write(`tls:${s.servername ?? ''}:${d.toString()}`)).on('error', () => undefined));
    l4Servers.push(tcpEcho, tlsEcho);
    const [tcpPod, tlsPod] = [await listenLocal(tcpEcho), await listenLocal(tlsEcho)];
    const [tcpPort, passPort, termPort] = [await freePort(), await freePort(), await freePort()];
    const gwCert = await selfSigned('term.local');
    await c.kubectlOk(['create', 'secret', 'tls', 'term-tls', `--cert=${gwCert.crt}`, `--key=${gwCert.key}`]);
    await c.kubectlOk(['apply', '-f', '-'], { input: `${service('tcpecho', tcpPod)}${service('tlsecho', tlsPod)}
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: l4 }
spec:
  gatewayClassName: flotilla
  listeners:
  - { name: tcp, port: ${tcpPort}, protocol: TCP }
  - { name: pass, port: ${passPort}, protocol: TLS, tls: { mode: Passthrough } }
  - { name: term, port: ${termPort}, protocol: TLS, tls: { mode: Terminate, certificateRefs: [{ name: term-tls }] } }
${l4Route('TCPRoute', 'echo', 'tcp', 'tcpecho')}${l4Route('TLSRoute', 'db', 'pass', 'tlsecho', 'db.local')}${l4Route('TLSRoute', 'term', 'term', 'tcpecho', 'term.local')}` });
    const tcpReply = await waitFor(() => exchange(net.connect({ host: '127.0.0.1', port: tcpPort }), 'hi', 'connect').catch(() => undefined), 'the TCPRoute', 20_000);
    expect(tcpReply).toBe('tcp:hi');
    const passed = await waitFor(() => exchange(tls.connect({ host: '127.0.0.1', port: passPort, servername: 'db.local', ca: podCert.pem }), 'hi', 'secureConnect')
      .catch(() => undefined), 'the passed-through TLSRoute', 20_000);
    expect(passed).toBe('tls:db.local:hi');
    const terminated = await waitFor(() => exchange(tls.connect({ host: '127.0.0.1', port: termPort, servername: 'term.local', ca: gwCert.pem }), 'hi', 'secureConnect')
      .catch(() => undefined), 'the terminated TLSRoute', 20_000);
    expect(terminated).toBe('tcp:hi');
    // A server name no TLSRoute takes is cut, not sent anywhere.
    await expect(exchange(tls.connect({ host: '127.0.0.1', port: passPort, servername: 'other.local', ca: podCert.pem }), 'hi', 'secureConnect')).rejects.toThrow();
    await waitFor(async () => (await condition('tcproute', 'echo', '{.status.parents[0].conditions[?(@.type=="Accepted")].reason}')) === 'Accepted',
      'the TCPRoute accepted', 20_000);
    await waitFor(async () => (await condition('gateway', 'l4', '{.status.listeners[*].attachedRoutes}')) === '1 1 1', 'a route on each listener', 20_000);
  });

  it('proxies gRPC calls by GRPCRoute over HTTP/2, cleartext and TLS, trailers and status codes included', async () => {
    // A real gRPC server (grpc-js) with a JSON-coded service: Say answers with what it got, Fail fails with NOT_FOUND.
    const json = { serialize: (v: unknown) => Buffer.from(JSON.stringify(v)), deserialize: (b: Buffer) => JSON.parse(b.toString()) as unknown };
    const method = (name: string) => ({ path: `/demo.Echo/${name}`, requestStream: false, responseStream: false,
      requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize });
    const echoService = { Say: method('Say'), Fail: method('Fail') };
    const server = new grpc.Server();
    server.addService(echoService, {
      Say: (call: grpc.ServerUnaryCall<{ msg: string }, unknown>, done: grpc.sendUnaryData<unknown>) =>
        done(null, { msg: call.request.msg, env: call.metadata.get('x-env')[0] ?? null, path: call.getPath() }),
      Fail: (_call: unknown, done: grpc.sendUnaryData<unknown>) => done({ code: grpc.status.NOT_FOUND, details: 'no such thing' }),
    });
    const grpcPod = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(),
      (e, port) => (e ? reject(e) : resolve(port))));
    grpcServers.push(server);
    const [port, tlsPort] = [await freePort(), await freePort()];
    const cert = await selfSigned('grpc.local');
    await c.kubectlOk(['create', 'secret', 'tls', 'grpc-tls', `--cert=${cert.crt}`, `--key=${cert.key}`]);
    await c.kubectlOk(['apply', '-f', '-'], { input: `${service('grpcecho', grpcPod)}
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: grpc }
spec:
  gatewayClassName: flotilla
  listeners:
  - { name: h2c, port: ${port}, protocol: HTTP }
  - { name: tls, port: ${tlsPort}, protocol: HTTPS, hostname: grpc.local, tls: { certificateRefs: [{ name: grpc-tls }] } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: echo }
spec:
  parentRefs: [{ name: grpc }]
  hostnames: [grpc.local]
  rules:
  - matches: [{ method: { service: demo.Echo } }]
    filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-env, value: gateway }] } }]
    backendRefs: [{ name: grpcecho, port: 80 }]
` });
    const Client = grpc.makeGenericClientConstructor(echoService, 'Echo');
    const client = (p: number) => new Client(`127.0.0.1:${p}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'grpc.local' });
    type Unary = (req: unknown, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => void;
    const call = (p: number, name: string): Promise<unknown> => new Promise((resolve, reject) => {
      const cl = client(p);
      const fn = (cl as unknown as Record<string, Unary>)[name].bind(cl);
      fn({ msg: 'hi' }, (e, r) => { cl.close(); if (e) reject(e); else resolve(r); });
    });
    const reply = await waitFor(() => call(port, 'Say').catch(() => undefined), 'the GRPCRoute', 20_000);
    expect(reply).toEqual({ msg: 'hi', env: 'gateway', path: '/demo.Echo/Say' });
    expect(await call(proxy.httpPort, 'Say')).toEqual(reply); // the proxy's own HTTP port takes gRPC too
    // Over TLS (ALPN h2), on the HTTPS listener's own port and the proxy's HTTPS port, with the listener's certificate.
    const secure = (p: number): Promise<unknown> => new Promise((resolve, reject) => {
      const cl = new Client(`127.0.0.1:${p}`, grpc.credentials.createSsl(cert.pem), { 'grpc.ssl_target_name_override': 'grpc.local', 'grpc.default_authority': 'grpc.local' });
      (cl as unknown as Record<string, Unary>).Say.call(cl, { msg: 'hi' }, (e, r) => { cl.close(); if (e) reject(e); else resolve(r); });
    });
    expect(await waitFor(() => secure(tlsPort).catch(() => undefined), 'gRPC over TLS', 20_000)).toEqual(reply);
    expect(await secure(proxy.httpsPort)).toEqual(reply);
    await expect(call(port, 'Fail')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: 'no such thing' });
    // A call no rule takes ends as UNIMPLEMENTED; HTTP/1.1 on the same port still reaches the HTTP side.
    const other = new (grpc.makeGenericClientConstructor({ Nope: { ...method('Nope'), path: '/demo.Other/Nope' } }, 'Other'))(
      `127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'grpc.local' });
    const unimplemented = await new Promise<grpc.ServiceError>((resolve) => {
      (other as unknown as Record<string, Unary>).Nope.call(other, {}, (e) => resolve(e!));
    });
    other.close();
    expect(unimplemented.code).toBe(grpc.status.UNIMPLEMENTED);
    expect((await request('grpc.local', '/', { port })).status).toBe(404);
    await waitFor(async () => (await condition('grpcroute', 'echo', '{.status.parents[0].conditions[?(@.type=="Accepted")].status}')) === 'True',
      'the GRPCRoute accepted', 20_000);
  });

  it('stops listening on the listener\'s port when the listener goes', async () => {
    await c.kubectlOk(['patch', 'gateway', 'gw', '--type=json', '-p', '[{"op":"remove","path":"/spec/listeners/1"}]']);
    await waitFor(() => connectionRefused(listenerPort), 'the listener port closed', 20_000);
  });
});
