// The ingress proxy without nodes: a real API server (Ingress, Service and EndpointSlice written by kubectl), the real
// agent port-forward handler (vm-images/agent/server/port-forward.ts) in a stand-in agent server whose one "pod" is a
// local HTTP + WebSocket server. Checks what the sandbox acceptance cannot see: a WebSocket echo through the proxy,
// tunnels reused across requests (keep-alive), the default backend, and a 503 naming a missing Service.
import * as http from 'node:http';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionRefused } from '../../helpers/free-port';
import { WebSocket, WebSocketServer } from 'ws';
import { startIngressProxy, type IngressProxy } from '../../../main/ingress';
import { wsExchange } from '../../helpers/ws-exchange';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { closeServer as close, listenLocal as listen, localService, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';

let c: TestCluster;
let pod: http.Server;
let agent: StandinAgent;
let proxy: IngressProxy;

function get(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: proxy.httpPort, path, headers: { Host: host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
    // A request the proxy leaves unanswered fails rather than hanging the test.
    req.setTimeout(10_000, () => req.destroy(new Error(`${host}${path}: no answer in 10 s`)));
  });
}

/**
 * A "pod" speaking HTTP/1.1 by hand (GETs without bodies): answers `raw <path>`, keeping the connection; `idleCloseMs`:
 * ends it when idle that long, announcing nothing; `keepAliveHint`: announces `Keep-Alive: timeout=N` and never ends it.
 */
interface RawPod { port: number; open(): number; closedByPod: number; close(): Promise<void> }

async function rawPod(o: { idleCloseMs?: number; keepAliveHint?: number }): Promise<RawPod> {
  const sockets = new Set<net.Socket>();
  const close = (): Promise<void> => new Promise<void>((r) => { for (const x of sockets) x.destroy(); server.close(() => r()); });
  const pod: RawPod = { port: 0, open: () => sockets.size, closedByPod: 0, close };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket)).on('error', () => undefined);
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1').on('data', (d: string) => {
      clearTimeout(timer);
      buffered += d;
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const path = buffered.slice(0, end).split(' ')[1] ?? '';
        buffered = buffered.slice(end + 4);
        const body = `raw ${path}`;
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${o.keepAliveHint ? `Keep-Alive: timeout=${o.keepAliveHint}\r\n` : ''}\r\n${body}`);
      }
      if (o.idleCloseMs) timer = setTimeout(() => { pod.closedByPod++; socket.end(); }, o.idleCloseMs);
    });
  });
  pod.port = await listen(server);
  return pod;
}

/** A Service `name` whose endpoint is the local port, and an Ingress rule for host `<name>.local` to it. */
async function backend(name: string, port: number): Promise<void> {
  await c.kubectlOk(['apply', '-f', '-'], { input: `${localService(name, port)}apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ${name} }
spec:
  rules:
  - host: ${name}.local
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: ${name}, port: { number: 80 } } } }] }
` });
}

beforeAll(async () => {
  c = await startTestCluster();
  pod = http.createServer((req, res) => res.end(`pod ${req.url ?? ''}`));
  const echo = new WebSocketServer({ server: pod });
  echo.on('connection', (ws) => ws.on('message', (m: Buffer) => ws.send(`echo ${m.toString()}`)));
  const podPort = await listen(pod);
  agent = await startStandinAgent();
  proxy = await startIngressProxy(c.core.client, agent.endpoint, { httpPort: 0, defaultCert: { certPem: '', keyPem: '' }, log: (l) => c.logs.push(l) });
  await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: v1
kind: Service
metadata: { name: echo }
spec: { ports: [{ name: http, port: 80 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: echo-1, labels: { kubernetes.io/service-name: echo } }
addressType: IPv4
ports: [{ name: http, port: ${podPort}, protocol: TCP }]
endpoints:
- { addresses: [127.0.0.1], conditions: { ready: true }, nodeName: n1, targetRef: { kind: Pod, name: echo-0, namespace: default } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: echo }
spec:
  defaultBackend: { service: { name: echo, port: { name: http } } }
  rules:
  - host: ghost.local
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: ghost, port: { number: 80 } } } }] }
` });
  await waitFor(async () => (await get('any.local', '/')).status === 200, 'the proxy to route to the default backend', 30_000);
});

afterAll(async () => {
  await proxy?.stop();
  await agent?.close();
  await close(pod);
  await c?.stop();
});

describe('the ingress proxy through the agent port-forward protocol', () => {
  it('sends what no rule takes to the default backend, reusing one tunnel for sequential requests', async () => {
    const before = agent.tunnels();
    for (const p of ['/a', '/b?x=1', '/c']) expect(await get('any.local', p)).toEqual({ status: 200, body: `pod ${p}` });
    expect(agent.tunnels() - before).toBe(0); // the tunnel of the first (waiting) request is still open and reused
  });

  it('opens a new tunnel once the pod has closed an idle keep-alive connection, instead of sending into the old one', async () => {
    // A server ending idle keep-alive connections without announcing when (nginx's keepalive_timeout): the proxy's pooled
    // tunnel to it must go with it, or the next request is written into a connection nobody reads and never answered.
    const idle = await rawPod({ idleCloseMs: 100 });
    await backend('idle', idle.port);
    await waitFor(async () => (await get('idle.local', '/ready')).status === 200, 'the idle.local rule', 20_000);
    await waitFor(() => idle.closedByPod > 0 && idle.open() === 0, 'the pod to close its idle connection', 10_000);
    const before = agent.tunnels();
    expect(await get('idle.local', '/after-idle')).toEqual({ status: 200, body: 'raw /after-idle' });
    expect(agent.tunnels() - before).toBe(1);
    await idle.close();
  });

  it('closes an idle tunnel itself a second before the pod\'s announced Keep-Alive timeout', async () => {
    // A server saying `Keep-Alive: timeout=2` (Node's say timeout=5): the proxy drops the idle tunnel after a second, so
    // no request races the pod's close. This pod never closes one itself: only the proxy can have ended it.
    const hinted = await rawPod({ keepAliveHint: 2 });
    await backend('hinted', hinted.port);
    await waitFor(async () => (await get('hinted.local', '/ready')).status === 200, 'the hinted.local rule', 20_000);
    await waitFor(() => hinted.open() === 0, 'the proxy to close the idle tunnel', 15_000);
    expect(hinted.closedByPod).toBe(0);
    expect(await get('hinted.local', '/again')).toEqual({ status: 200, body: 'raw /again' });
    await hinted.close();
  });

  it('passes a WebSocket through', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.httpPort}/chat`, { headers: { Host: 'any.local' } });
    const reply = await wsExchange(ws, 'hi');
    expect(reply).toBe('echo hi');
  });

  it('answers 503 naming a backend Service that does not exist', async () => {
    expect(await get('ghost.local', '/')).toEqual({ status: 503, body: '503 Service Unavailable: service "default/ghost" not found (Ingress default/echo)\n' });
  });

  it('writes its address into the Ingress status', async () => {
    const st = await waitFor(async () => {
      const s = await c.kubectlOk(['get', 'ingress', 'echo', '-o', 'jsonpath={.status.loadBalancer.ingress[0]}']);
      return s ? JSON.parse(s) as unknown : undefined;
    }, 'the status', 20_000);
    expect(st).toEqual({ ip: '127.0.0.1', hostname: 'localhost', ports: [{ port: proxy.httpPort, protocol: 'TCP' }] });
  });

  it('stops listening when stopped', async () => {
    const port = proxy.httpPort;
    await proxy.stop();
    expect(await connectionRefused(port)).toBe(true);
  });
});
