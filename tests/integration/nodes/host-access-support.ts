// For host-access.test.ts: the app (a DaemonSet answering "<client address> <pod name>" over busybox httpd's CGI, so
// a test sees whether its source address survived, and a one-pod Deployment pinned to a node) with its Services, and
// plain HTTP from the host with a deadline.
import * as http from 'node:http';
import { execFile } from 'node:child_process';

const IMAGE = 'docker.io/flotilla/counter:1';
/** httpd with one CGI: the client's address as the pod saw it, and the pod's name (CGI headers end in CRLF). */
const WHO_AM_I = [
  'set -e',
  'mkdir -p /www/cgi-bin',
  "cat > /www/cgi-bin/ip <<'EOF'",
  '#!/bin/sh',
  "printf 'Content-Type: text/plain\\r\\n\\r\\n'",
  'echo "$REMOTE_ADDR $(hostname)"',
  'EOF',
  'chmod +x /www/cgi-bin/ip',
  'exec httpd -f -p 8080 -h /www',
].join('\n');

function podTemplate(app: string, nodeName?: string): Record<string, unknown> {
  return {
    metadata: { labels: { app } },
    spec: {
      ...(nodeName ? { nodeSelector: { 'kubernetes.io/hostname': nodeName } } : {}),
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', WHO_AM_I], ports: [{ name: 'http', containerPort: 8080 }] }],
    },
  };
}

function service(name: string, app: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
  };
}

export const EXTERNAL_IP = '203.0.113.10';

/** Everything the test applies, as a stream of JSON documents. */
export function appManifest(soloNode: string): string {
  const items = [
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate('web') } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'solo', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'solo' } }, template: podTemplate('solo', soloNode) },
    },
    service('web', 'web'),
    service('web-np', 'web', { type: 'NodePort' }),
    service('web-lb', 'web', { type: 'LoadBalancer' }),
    service('web-sticky', 'web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 120 } } }),
    service('web-ext', 'web', { externalIPs: [EXTERNAL_IP] }),
    service('solo-lb', 'solo', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    service('solo-itp', 'solo', { internalTrafficPolicy: 'Local' }),
  ];
  return items.map((i) => JSON.stringify(i)).join('\n');
}

export type HttpAnswer = { status: number; body: string } | { error: string };

/** GET http://host:port/path from the host, giving up after timeoutMs. */
export function httpGet(host: string, port: number, path: string, timeoutMs = 3000): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message }));
  });
}

/** The body of a 200 answer, else undefined (for waitFor); httpd's IPv4-mapped "[::ffff:a.b.c.d]" shown as a.b.c.d. */
export async function answer(host: string, port: number, path = '/cgi-bin/ip'): Promise<string | undefined> {
  const r = await httpGet(host, port, path);
  return 'status' in r && r.status === 200 ? r.body.replace(/^\[::ffff:([\d.]+)\]/, '$1') : undefined;
}

/** curl run in a node's network namespace: the body, or '' when it failed. */
export function curlInNetns(netns: string, url: string, maxTimeS = 3): Promise<string> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', netns, 'curl', '-sS', '--max-time', String(maxTimeS), url], (err, stdout) => resolve(err ? '' : stdout.trim()));
  });
}
