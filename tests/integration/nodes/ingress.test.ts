// The built-in ingress proxy on a real sandbox node (containerd, runc, the real agent, real kubectl and curl): an
// Ingress routes by host and path to pods of the demo `hello` image, round robin over a Service's ready endpoints and
// through the agents' port-forward tunnels; `http://shop.localhost:<port>` works as a browser would resolve it; TLS
// by SNI from a kubernetes.io/tls Secret; a deleted backend gives 503 with the reason; the ADDRESS column shows the
// proxy; a port in use is refused by name; nothing listens after the stop.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionRefused as refused, freePort } from '../../helpers/free-port';
import { startIngressProxy } from '../../../main/ingress';
import { startTestCluster, waitFor, waitForReadyNode, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

const run = promisify(execFile);
const IMAGE = 'docker.io/flotilla/hello:1';

function app(name: string, replicas: number, portName: string): object[] {
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
      spec: { replicas, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1,
          containers: [{ name: 'hello', image: IMAGE, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: portName, port: 80, targetPort: 8080 }] } },
  ];
}

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop }
spec:
  tls: [{ hosts: [shop.local], secretName: shop-tls }]
  rules:
  - host: shop.local
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
      - { path: /api, pathType: Prefix, backend: { service: { name: api, port: { name: rest } } } }
  - host: shop.localhost
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

interface Reply { status: number; body: string }

function get(port: number, host: string, p: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers: { Host: host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    // A request the proxy leaves unanswered fails rather than hanging the test.
    req.setTimeout(15_000, () => req.destroy(new Error(`${host}${p}: no answer in 15 s`)));
  });
}

/**
 * A pod answering one HTTP/1.1 request per connection without `Connection: close`, then closing it a second later (a
 * keep-alive server closing an idle connection), and logging `served and closed` when it has.
 */
const IDLE_CLOSER = `apiVersion: v1
kind: Pod
metadata: { name: idle-closer, labels: { app: idle-closer } }
spec:
  containers:
  - name: server
    image: docker.io/flotilla/hello:1
    command: [sh, -c]
    args:
    - |
      cat > /tmp/answer.sh <<'S'
      #!/bin/sh
      while read -r line; do line=$(printf '%s' "$line" | tr -d '\\r'); [ -z "$line" ] && break; done
      printf 'HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nidle\\n'
      sleep 1
      S
      chmod +x /tmp/answer.sh
      while true; do nc -l -p 8080 -e /tmp/answer.sh; echo served and closed; done
---
apiVersion: v1
kind: Service
metadata: { name: idle-closer }
spec: { selector: { app: idle-closer }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: idle-closer }
spec:
  rules:
  - host: idle.local
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: idle-closer, port: { number: 80 } } } }] }
`;

function getTls(port: number, serverName: string, ca: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', servername: serverName, headers: { Host: serverName }, ca, agent: false,
      checkServerIdentity: (_h, cert) => (cert.subject.CN === serverName ? undefined : new Error(`served ${String(cert.subject.CN)}`)) }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe.skipIf(skipWithoutAgent)('the ingress proxy on a sandbox node', () => {
  const cfg = uniqueSandbox(17);
  const logs: string[] = [];
  let c: TestCluster;
  let httpPort = 0;
  let httpsPort = 0;
  const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input, timeoutMs: 150_000 });

  beforeAll(async () => {
    c = await startTestCluster({
      nodes: { sandbox: cfg, nodes: 1, provider: 'sandbox', readyTimeoutMs: 90_000, log: (l) => logs.push(l) },
      ingress: { httpPort: 0, httpsPort: 0 },
    });
    httpPort = c.core.ingress?.httpPort ?? 0;
    httpsPort = c.core.ingress?.httpsPort ?? 0;
    await waitForReadyNode(c);
    for (const o of [...app('web', 2, 'http'), ...app('api', 1, 'rest')]) await ok(['apply', '-f', '-'], JSON.stringify(o));
    await ok(['rollout', 'status', 'deployment/web', '--timeout=150s']);
    await ok(['rollout', 'status', 'deployment/api', '--timeout=150s']);
    await ok(['apply', '-f', '-'], INGRESS);
  }, 400_000);

  afterAll(async () => {
    if (!c) return;
    await stopClusterWithNodes(c, cfg, logs);
    if (httpPort) expect(await refused(httpPort)).toBe(true);
    if (httpsPort) expect(await refused(httpsPort)).toBe(true);
  }, 120_000);

  it('shows the proxy under ADDRESS', async () => {
    const row = await waitFor(async () => {
      const r = (await ok(['get', 'ingress', 'shop', '--no-headers'])).trim().split(/\s+/);
      return r[3] === '127.0.0.1' ? r : undefined;
    }, 'the Ingress status address', 30_000);
    expect(row.slice(0, 3)).toEqual(['shop', 'flotilla', 'shop.local,shop.localhost']);
    expect(row.slice(4, 6)).toEqual(['80,', '443']);
  });

  it('routes a host to its Service, round robin over the ready pods, and a path rule to a second Service by port name', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const r = await get(httpPort, 'shop.local', '/');
      expect(r.status).toBe(200);
      expect(r.body).toMatch(/^Hello from web-/);
      seen.add(r.body);
    }
    expect(seen.size).toBe(2);
    const api = await get(httpPort, 'shop.local', '/api/items?x=1');
    expect(api.status).toBe(200);
    expect(api.body).toMatch(/^Hello from api-/);
    expect((await get(httpPort, 'shop.local', '/apis')).body).toMatch(/^Hello from web-/);
  });

  it('answers http://shop.localhost:<port>/ as a browser resolves it, with real curl', async () => {
    const { stdout } = await run('curl', ['-sS', '--max-time', '20', `http://shop.localhost:${httpPort}/`]);
    expect(stdout).toMatch(/^Hello from web-/);
  });

  it('serves a Gateway API HTTPRoute to the pods, on the listener\'s own port and the proxy\'s, with real curl', async () => {
    await ok(['apply', '--server-side', '-f', path.join(__dirname, '../../fixtures/gateway-api/crds')]);
    const listener = await freePort();
    await ok(['apply', '-f', '-'], `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: flotilla
  listeners: [{ name: http, port: ${listener}, protocol: HTTP, hostname: "*.localhost" }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [api.localhost]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /v1 } }]
    filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: / } } }]
    backendRefs: [{ name: api, port: 80 }]
`);
    const curl = async (port: number): Promise<string> => (await run('curl', ['-sS', '--max-time', '20', `http://api.localhost:${port}/v1/items`])).stdout;
    expect(await waitFor(async () => ((await curl(listener).catch(() => '')).startsWith('Hello from api-') ? 'ok' : undefined), 'the route on its port', 60_000)).toBe('ok');
    expect(await curl(httpPort)).toMatch(/^Hello from api-/);
    expect((await ok(['get', 'gateway', 'gw', '--no-headers'])).trim().split(/\s+/).slice(0, 4)).toEqual(['gw', 'flotilla', '127.0.0.1', 'True']);
    // Hosts the listener does not take stay the Ingresses'.
    expect((await get(httpPort, 'shop.local', '/')).body).toMatch(/^Hello from web-/);
  });

  it('passes an upgrade request through to the pod and relays its bytes back', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: httpPort }, () => {
        s.write('GET /chat HTTP/1.1\r\nHost: shop.local\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n'
          + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      });
      let got = '';
      s.setEncoding('utf8').on('data', (d: string) => (got += d)).on('end', () => resolve(got)).on('error', reject);
    });
    // The hello pod speaks no WebSocket: it answers the request as plain HTTP, and that answer comes back through the tunnel.
    expect(answer).toMatch(/^HTTP\/1\.[01] 200 /);
    expect(answer).toContain('Hello from web-');
  });

  it('reaches a pod again after it closed an idle keep-alive connection, through a new tunnel', async () => {
    await ok(['apply', '-f', '-'], IDLE_CLOSER);
    await ok(['wait', '--for=condition=Ready', 'pod/idle-closer', '--timeout=120s']);
    const closed = async (): Promise<number> => (await ok(['logs', 'idle-closer'])).split('\n').filter((l) => l === 'served and closed').length;
    let served = 0;
    await waitFor(async () => {
      const r = await get(httpPort, 'idle.local', '/').catch(() => undefined);
      if (r?.status === 200) served++;
      return r?.body === 'idle\n';
    }, 'the idle.local rule', 30_000);
    // Every connection the pod answered on is closed (the proxy's pooled tunnel among them).
    await waitFor(async () => (await closed()) >= served, 'the pod to close its idle connection', 30_000, 250);
    expect(await get(httpPort, 'idle.local', '/again')).toEqual({ status: 200, body: 'idle\n' });
    await ok(['delete', '-f', '-', '--wait=false'], IDLE_CLOSER);
  });

  it('answers 404 from the proxy when no rule matches', async () => {
    const r = await get(httpPort, 'nowhere.local', '/');
    expect(r).toEqual({ status: 404, body: '404 Not Found: no Ingress rule matches host "nowhere.local" and path "/", and no Ingress has a default backend\n' });
  });

  it('serves TLS by SNI with the certificate of the Ingress\'s Secret', async () => {
    const dir = fs.mkdtempSync(path.join(c.dir, 'tls-'));
    const crt = path.join(dir, 'tls.crt');
    const key = path.join(dir, 'tls.key');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=shop.local',
      '-addext', 'subjectAltName=DNS:shop.local', '-keyout', key, '-out', crt]);
    await ok(['create', 'secret', 'tls', 'shop-tls', `--cert=${crt}`, `--key=${key}`]);
    const ca = fs.readFileSync(crt, 'utf8');
    const r = await waitFor(async () => getTls(httpsPort, 'shop.local', ca).catch(() => undefined), 'the Secret\'s certificate served', 30_000);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^Hello from web-/);
  });

  it('refuses a port in use with a message naming it', async () => {
    await expect(startIngressProxy(c.core.client, { dial: () => Promise.reject(new Error('unused')), serverToken: () => '' },
      { httpPort, defaultCert: { certPem: '', keyPem: '' }, log: () => undefined }))
      .rejects.toThrow(`the ingress proxy cannot listen for HTTP on 127.0.0.1:${httpPort}: the port is in use (pick another with --ingress-port, 0 for none)`);
  });

  it('answers 503 with the reason once the backend Service is deleted', async () => {
    await ok(['delete', 'service', 'api']);
    const r = await waitFor(async () => { const x = await get(httpPort, 'shop.local', '/api'); return x.status === 503 ? x : undefined; }, 'a 503', 30_000);
    expect(r.body).toBe('503 Service Unavailable: service "default/api" not found (Ingress default/shop)\n');
  });
});
