// The kubelet's secure port as the agent serves it, against a real API server: HTTPS with the serving certificate the
// cluster CA signed for the node (verified by a client that trusts only the cluster CA, as metrics-server does by
// default), bearer tokens through TokenReview (service-account tokens and the static ones), client certificates of the
// cluster CA, the request's attributes through SubjectAccessReview with the kubelet's 401/403 answers, and the agent's
// own paths kept for the control plane. The agent's API client is a node's, as on a node (the node authorizer lets it
// post the reviews).
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../main/client/http';
import { CriClient } from '../../../vm-images/agent/cri/client';
import { PodManager } from '../../../vm-images/agent/pods/manager';
import { startAgentServer, type AgentServer } from '../../../vm-images/agent/server';
import { KubeletAuth } from '../../../vm-images/agent/server/kubelet-auth';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

const NODE = 'node-a';
/** Another loopback address: the secure port has the agent port's number on the node's own address. */
const NODE_IP = '127.0.0.2';
const SERVER_TOKEN = 'control-plane-token-0123456789';

let c: TestCluster;
let agent: AgentServer;
let nodeClient: HttpClient;
/** API requests the agent's client made (the reviews), by path. */
const reviews: string[] = [];
let scraperToken = '';

interface Answer { code: number; type: string; body: string }

function get(urlPath: string, o: { token?: string; cert?: string; key?: string; method?: string; authorization?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const authorization = o.authorization ?? (o.token ? `Bearer ${o.token}` : undefined);
    const req = https.request({
      host: NODE_IP, port: agent.securePort, path: urlPath, method: o.method ?? 'GET', ca: c.core.caCertPem, cert: o.cert, key: o.key,
      headers: authorization ? { Authorization: authorization } : {}, timeout: 10_000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${o.method ?? 'GET'} ${urlPath} in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** A client certificate the cluster CA signed (openssl with the CA's key), for `subject`. */
function clientCert(name: string, subject: string): { cert: string; key: string } {
  const ca = path.join(c.core.dataDir, 'pki', 'ca');
  const f = (ext: string) => path.join(c.dir, `${name}.${ext}`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('key'), '-subj', subject, '-out', f('csr')], { stdio: 'ignore' });
  fs.writeFileSync(f('ext'), 'extendedKeyUsage=clientAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', f('csr'), '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`,
    '-CAcreateserial', '-days', '1', '-extfile', f('ext'), '-out', f('crt')], { stdio: 'ignore' });
  return { cert: fs.readFileSync(f('crt'), 'utf8'), key: fs.readFileSync(f('key'), 'utf8') };
}

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  const inner = new HttpClient({ server: c.core.api.url, token: c.core.auth.nodeToken(NODE), caCertPem: c.core.caCertPem });
  nodeClient = inner;
  const api = { request: (method: string, p: string, body?: string) => { reviews.push(p); return inner.request(method, p, body); } };
  const serving = await c.core.kubeletServing({ node: NODE, ips: [NODE_IP], dns: [NODE] });
  const cri = new CriClient(path.join(c.dir, 'no-containerd.sock'));
  const pods = new PodManager(cri, { logDir: path.join(c.dir, 'logs') });
  agent = await startAgentServer({
    listen: '127.0.0.1:0', token: SERVER_TOKEN, cri, pods, logDir: path.join(c.dir, 'logs'),
    secure: { host: NODE_IP, certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: c.core.caCertPem, nodeName: NODE, auth: new KubeletAuth({ api }) },
  });
  await c.kubectlOk(['create', 'serviceaccount', 'scraper']);
  await c.kubectlOk(['create', 'clusterrole', 'node-metrics', '--verb=get', '--resource=nodes/metrics,nodes/stats']);
  await c.kubectlOk(['create', 'clusterrolebinding', 'scraper-node-metrics', '--clusterrole=node-metrics', '--serviceaccount=default:scraper']);
  scraperToken = (await c.kubectlOk(['create', 'token', 'scraper'])).trim();
}, 60_000);

afterAll(async () => {
  await agent?.close();
  nodeClient?.close();
  await c?.stop();
});

describe("the kubelet's secure port", () => {
  it('serves the certificate the cluster CA signed for the node, on the port the control plane uses on 127.0.0.1', async () => {
    expect(agent.securePort).toBe(agent.port);
    const peer = await new Promise<{ subject: string; san: string }>((resolve, reject) => {
      const req = https.request({ host: NODE_IP, port: agent.securePort, path: '/healthz', ca: c.core.caCertPem }, (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate();
        res.resume();
        resolve({ subject: cert?.subject ?? '', san: cert?.subjectAltName ?? '' });
      });
      req.on('error', reject);
      req.end();
    });
    expect(peer.subject).toBe('CN=system:node:node-a\nO=system:nodes');
    expect(peer.san).toBe(`DNS:${NODE}, IP Address:${NODE_IP}`);
  });

  it('answers 401 Unauthorized, as text, without credentials or with a token the API server does not know', async () => {
    expect(await get('/metrics/resource')).toEqual({ code: 401, type: 'text/plain; charset=utf-8', body: 'Unauthorized' });
    expect(await get('/metrics/resource', { token: 'not-a-token' })).toMatchObject({ code: 401, body: 'Unauthorized' });
    // A client certificate from another CA (the front proxy's) is no user either.
    const pki = (f: string) => fs.readFileSync(path.join(c.core.dataDir, 'pki', f), 'utf8');
    const foreign = { cert: pki('front-proxy-client.crt'), key: pki('front-proxy-client.key') };
    expect(await get('/pods', foreign).catch((e: Error) => ({ code: -1, body: e.message }))).toMatchObject({ code: 401, body: 'Unauthorized' });
  });

  it("lets a service account bound to nodes/metrics read the resource metrics, and forbids what it was not given in the kubelet's words", async () => {
    const metrics = await get('/metrics/resource', { token: scraperToken });
    expect(metrics.code).toBe(200);
    expect(metrics.body).toContain('# TYPE resource_scrape_error gauge');
    const pods = await get('/pods', { token: scraperToken });
    expect(pods).toEqual({
      code: 403, type: 'text/plain; charset=utf-8', body: 'Forbidden (user=system:serviceaccount:default:scraper, verb=get, resource=nodes, subresource=proxy)',
    });
    const exec = await get('/exec/default/p/c?command=id', { token: scraperToken, method: 'POST' });
    expect(exec.body).toBe('Forbidden (user=system:serviceaccount:default:scraper, verb=create, resource=nodes, subresource=proxy)');
    // /stats/summary is nodes/stats, which it was given; no stats source here: past authorization, the handler's 404.
    expect((await get('/stats/summary', { token: scraperToken })).code).toBe(404);
  });

  it('authenticates a client certificate of the cluster CA as its CN and O groups', async () => {
    const alice = clientCert('alice', '/CN=alice/O=dev');
    expect(await get('/metrics/resource', alice)).toMatchObject({ code: 403, body: 'Forbidden (user=alice, verb=get, resource=nodes, subresource=metrics)' });
    await c.kubectlOk(['create', 'clusterrolebinding', 'dev-node-metrics', '--clusterrole=node-metrics', '--group=dev']);
    // A denial is remembered 30 s (the kubelet's cacheUnauthorizedTTL): alice stays forbidden until then; bob is asked anew.
    expect((await get('/metrics/resource', alice)).code).toBe(403);
    const bob = clientCert('bob', '/CN=bob/O=dev');
    expect((await get('/metrics/resource', bob)).code).toBe(200);
  });

  it("takes the admin's static token (TokenReview authenticates it as the API server does) but keeps the agent's own paths for the control plane", async () => {
    const admin = c.core.auth.adminToken;
    const pods = await get('/pods', { token: admin });
    expect(pods.code).toBe(200);
    expect(JSON.parse(pods.body)).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    const notFound = { code: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' };
    expect(await get('/images', { token: admin })).toEqual(notFound);
    expect(await get('/traces/some-uid', { token: admin })).toEqual(notFound);
    expect(await get('/no/such/path', { token: admin })).toEqual(notFound);
    // The control plane's own token is no API token: refused here; it works only on 127.0.0.1.
    expect(await get('/pods', { token: SERVER_TOKEN })).toMatchObject({ code: 401, body: 'Unauthorized' });
  });

  it('asks the API server once per token and decision while the answers are cached', async () => {
    const before = reviews.length;
    for (let i = 0; i < 5; i++) expect((await get('/metrics/resource', { token: scraperToken })).code).toBe(200);
    expect(reviews.slice(before)).toEqual([]);
    // A second token of the same account: reviewed once, and its decision asked once (a token's credential id is part
    // of the user, as the API server's TokenReview says, so two tokens are two users to the cache, as in the kubelet).
    const other = (await c.kubectlOk(['create', 'token', 'scraper'])).trim();
    for (let i = 0; i < 3; i++) expect((await get('/metrics/probes', { token: other })).code).toBe(404); // allowed; no probe registry here
    expect(reviews.slice(before)).toEqual(['/apis/authentication.k8s.io/v1/tokenreviews', '/apis/authorization.k8s.io/v1/subjectaccessreviews']);
  });

  it('answers generated paths, methods and credentials with 401 unauthenticated and 403 beyond what was granted — never a 5xx or a hang', async () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2F', '%2e%2e', '%', '%zz', '%00', 'images', 'traces', 'faults', 'readiness', 'exec', 'pods', 'metrics', 'stats', 'summary', 'x'.repeat(300)),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
    );
    const request = fc.record({
      path: fc.array(segment, { maxLength: 5 }).map((segs) => `/${segs.join('/')}`),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      authorization: fc.oneof(
        fc.constant(undefined), fc.constant(`Bearer ${SERVER_TOKEN}`), fc.constant('Bearer'), fc.constant('Basic YTpi'),
        fc.string({ maxLength: 60 }).filter((t) => /^[\x21-\x7e]*$/.test(t)).map((t) => `Bearer ${t}`),
        fc.constant(`Bearer ${'a'.repeat(4000)}`),
      ),
    });
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const a = await get(r.path, { method: r.method, authorization: r.authorization });
      // The scraper's token is not among them: no request here is authenticated, so none gets past 401.
      expect([400, 401], `${r.method} ${r.path.slice(0, 120)} → ${a.code} ${a.body.slice(0, 120)}`).toContain(a.code);
    }), { numRuns: 150, seed: 20261207, endOnFailure: true });
    // And with the scraper's token, whatever the path: only nodes/stats and nodes/metrics are let through.
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const a = await get(r.path, { method: r.method, token: scraperToken });
      const allowed = r.method === 'GET' || r.method === 'HEAD' ? /^\/(stats|metrics)(\/|$)/.test(new URL(r.path, 'https://x').pathname) : false;
      expect(a.code < 500, `${r.method} ${r.path.slice(0, 120)} → ${a.code} ${a.body.slice(0, 120)}`).toBe(true);
      if (!allowed) expect([400, 403], `${r.method} ${r.path.slice(0, 120)} → ${a.code}`).toContain(a.code);
    }), { numRuns: 150, seed: 20261207, endOnFailure: true });
  }, 120_000);
});
