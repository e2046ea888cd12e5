// pods/proxy and services/proxy on a real sandbox node (containerd, runc, the real agent, real kubectl): the API
// server's HTTP proxy to a pod's port, or to a ready endpoint of a Service port, through the node agent's tunnel —
// what `kubectl proxy` users, dashboards and the URLs `kubectl cluster-info` prints reach. The request's method, path,
// query and body arrive, its credentials do not, X-Forwarded-* are added; the failures are kube-apiserver's (503
// "error trying to reach service: dial tcp …: connect: connection refused", no such service port, no endpoints; 404 for
// a missing Service; 301 to `…/proxy/`). An upgrade (a WebSocket) goes through to the pod. A response that ends with the
// pod's connection (HTTP/1.0, no Content-Length) arrives whole.
import * as https from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const HELLO = 'docker.io/flotilla/hello:1';

/**
 * An HTTP server on :9000 (busybox nc, one handler per connection) that prints each request it gets — request line,
 * headers and a Content-Length body — to the container's log, and answers "echo".
 */
const ECHO_SCRIPT = String.raw`cat > /tmp/h.sh <<'EOS'
#!/bin/sh
len=0
while IFS= read -r line; do
  line=$(printf '%s' "$line" | tr -d '\r')
  echo "$line" > /proc/1/fd/1
  [ -z "$line" ] && break
  case "$line" in [Cc]ontent-[Ll]ength:*) len=$(echo "$line" | cut -d: -f2 | tr -d ' ');; esac
done
[ "$len" -gt 0 ] && { head -c "$len" > /proc/1/fd/1; echo > /proc/1/fd/1; }
printf 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\necho'
EOS
chmod +x /tmp/h.sh
cat > /tmp/c.sh <<'EOS'
#!/bin/sh
while IFS= read -r line; do [ -z "$(printf '%s' "$line" | tr -d '\r')" ] && break; done
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n'
head -c 65536 /dev/zero | tr '\0' a
printf 'end'
EOS
chmod +x /tmp/c.sh
nc -ll -p 9002 -e /tmp/c.sh &
exec nc -ll -p 9000 -e /tmp/h.sh`;

/** An upgrade endpoint on :9001: logs the request line, answers 101, then echoes every byte back (cat). */
const UPGRADE_SCRIPT = String.raw`cat > /tmp/u.sh <<'EOS'
#!/bin/sh
read -r line
echo "upgrade: $line" > /proc/1/fd/1
while IFS= read -r line; do
  [ -z "$(printf '%s' "$line" | tr -d '\r')" ] && break
done
printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'
exec cat
EOS
chmod +x /tmp/u.sh
exec nc -ll -p 9001 -e /tmp/u.sh`;

const MANIFESTS = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1,
        containers: [{ name: 'hello', image: HELLO, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'echo', image: HELLO, command: ['/bin/sh', '-c', ECHO_SCRIPT] }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'upgrade' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'upgrade', image: HELLO, command: ['/bin/sh', '-c', UPGRADE_SCRIPT] }] } },
];

type P = Pod & KObject;

describe.skipIf(skipWithoutAgent)('pods/proxy and services/proxy on a sandbox node', () => {
  const { c, ok } = sandboxCluster(14);
  let web = '';
  let webIp = '';

  beforeAll(async () => {
    await ok(['apply', '-f', '-'], MANIFESTS.map((m) => JSON.stringify(m)).join('\n'));
    const ready = await waitFor(async () => {
      const pods = (await c.client.list<P>(R.pods, { namespace: 'default' })).items;
      const w = pods.find((p) => p.metadata?.labels?.app === 'web' && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
      const running = (name: string) => pods.some((p) => p.metadata?.name === name && p.status?.containerStatuses?.[0]?.state?.running);
      return w && running('echo') && running('upgrade') ? w : undefined;
    }, 'the web and echo pods', 120_000, 250);
    web = ready.metadata!.name!;
    webIp = ready.status!.podIP!;
    // The Service's Endpoints name the ready pod.
    await waitFor(async () => (await ok(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[0].ip}'])) === webIp || undefined, 'the endpoints', 30_000, 250);
  }, 240_000);

  it('reaches a Service port by number and by name, and a pod on its declared port; path and query arrive', async () => {
    expect(await ok(['get', '--raw', '/api/v1/namespaces/default/services/web:80/proxy/'])).toBe(`Hello from ${web} (${webIp})\n`);
    expect(await ok(['get', '--raw', '/api/v1/namespaces/default/services/http:web:http/proxy/a/b?x=1&y=2'])).toBe(`Hello from ${web} (${webIp})\n`);
    expect(await ok(['get', '--raw', `/api/v1/namespaces/default/pods/${web}/proxy/from-pod`])).toBe(`Hello from ${web} (${webIp})\n`);
    expect(await ok(['get', '--raw', `/api/v1/namespaces/default/pods/${web}:8080/proxy/`])).toBe(`Hello from ${web} (${webIp})\n`);
    const logs = await waitFor(async () => {
      const l = await ok(['logs', web]);
      return l.includes('GET /from-pod 200') ? l : undefined;
    }, 'the requests in the pod log', 10_000, 200);
    expect(logs).toContain('GET /a/b?x=1&y=2 200');
  });

  it('passes the method, body and headers on, without the caller\'s credentials, with X-Forwarded-*', async () => {
    const r = await c.client.request('POST', '/api/v1/namespaces/default/pods/echo:9000/proxy/submit?q=1', '{"k":"v"}', 'application/json', '*/*');
    expect({ code: r.code, text: r.text }).toEqual({ code: 200, text: 'echo' });
    const seen = await waitFor(async () => {
      const l = await ok(['logs', 'echo']);
      return l.includes('{"k":"v"}') ? l : undefined;
    }, 'the request in the echo pod\'s log', 10_000, 200).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; the log: ${await ok(['logs', 'echo'])}`);
    });
    const lines = seen.split(/\r?\n/);
    expect(lines).toContain('POST /submit?q=1 HTTP/1.1');
    const header = (name: string) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    expect(header('authorization')).toBeUndefined();
    expect(header('content-type')).toBe('application/json');
    expect(header('x-forwarded-uri')).toBe('/api/v1/namespaces/default/pods/echo:9000/proxy/submit');
    expect(header('x-forwarded-proto')).toBe('https');
    expect(header('x-forwarded-host')).toMatch(/\/api\/v1\/namespaces\/default\/pods\/echo:9000\/proxy$/);
    expect(header('host')).toMatch(/^10\.\d+\.\d+\.\d+:9000$/);
  });

  it('carries a response delimited by the pod closing its connection whole (no Content-Length)', async () => {
    const body = await ok(['get', '--raw', '/api/v1/namespaces/default/pods/echo:9002/proxy/']);
    expect(body.length).toBe(65536 + 3);
    expect(body.endsWith('aaaend')).toBe(true);
  });

  it('carries an upgrade (a WebSocket) through: the pod\'s 101, then bytes both ways', async () => {
    const url = new URL(c.core.api.url);
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = https.request({
        host: url.hostname, port: url.port, path: '/api/v1/namespaces/default/pods/upgrade:9001/proxy/socket?x=1', ca: c.core.caCertPem, agent: false,
        headers: { Authorization: `Bearer ${c.core.auth.adminToken}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      });
      req.on('upgrade', (res, socket, head) => {
        expect(res.statusCode).toBe(101);
        let got = head.toString();
        socket.on('data', (d: Buffer) => { got += d.toString(); if (got.includes('ping\n')) { socket.destroy(); resolve(got); } });
        socket.write('ping\n');
      });
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('ping\n');
    expect(await waitFor(async () => (await ok(['logs', 'upgrade'])).includes('upgrade: GET /socket?x=1 HTTP/1.1') || undefined, 'the upgrade request in the log', 10_000, 200)).toBe(true);
  });

  it('answers as kube-apiserver when the target cannot be reached or does not exist', async () => {
    const refused = await c.kubectl(['get', '--raw', `/api/v1/namespaces/default/pods/${web}:9999/proxy/`]);
    expect(refused.stderr.trim()).toBe(`Error from server (ServiceUnavailable): error trying to reach service: dial tcp ${webIp}:9999: connect: connection refused`);
    const noPort = await c.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/web:81/proxy/']);
    expect(noPort.stderr.trim()).toBe('Error from server (ServiceUnavailable): no service port 81 found for service "web"');
    const noEndpoints = await c.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/empty:80/proxy/']);
    expect(noEndpoints.stderr.trim()).toBe('Error from server (ServiceUnavailable): no endpoints available for service "empty"');
    const missing = await c.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/nope/proxy/']);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): services "nope" not found');
    const bare = await c.client.request('GET', '/api/v1/namespaces/default/services/web:80/proxy?x=1');
    expect(bare.code).toBe(301);
    expect(bare.headers.location).toBe('/api/v1/namespaces/default/services/web:80/proxy/?x=1');
  });

  it('serves the KubeDNS URL kubectl cluster-info prints', async () => {
    const info = await ok(['cluster-info']);
    expect(info).toMatch(/KubeDNS is running at https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy/);
    // The path is served (the node-local DNS has no Endpoints object to proxy to, so the proxy says that, as
    // kube-apiserver does for a Service without one), not the 404 of a path no route serves.
    const dns = await c.kubectl(['get', '--raw', '/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy/']);
    expect(dns.stderr.trim()).toBe('Error from server (NotFound): endpoints "kube-dns" not found');
  });
});
