// The ingress proxy without nodes: a real API server (Ingress, Service and EndpointSlice written by kubectl), the real
// agent port-forward handler (vm-images/agent/server/port-forward.ts) in a stand-in agent server whose one "pod" is a
// local HTTP + WebSocket server. Checks what the sandbox acceptance cannot see: a WebSocket echo through the proxy,
// tunnels reused across requests (keep-alive), the default backend, and a 503 naming a missing Service.
import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionRefused } from '../../helpers/free-port';
import { WebSocket, WebSocketServer } from 'ws';
import { startIngressProxy, type IngressProxy } from '../../../main/ingress';
import { wsExchange } from '../../helpers/ws-exchange';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { closeServer as close, listenLocal as listen, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';

let c: TestCluster;
let pod: http.Server;
let agent: StandinAgent;
let proxy: IngressProxy;

function get(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: proxy.httpPort, path, headers: { Host: host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
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
