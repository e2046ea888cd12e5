// BackendTLSPolicy on the built-in gateway, without nodes: the upstream v1.6.1 CRDs installed with kubectl, a real API
// server, the proxy with the real agent port-forward handler in a stand-in agent whose "pod" is a local HTTPS server
// with a certificate for abc.example.com signed by a CA of the test's own (openssl). A route's backend under a policy is
// reached over TLS with the policy's hostname as SNI, its ConfigMap's CA trusted, the name (or the subjectAltNames)
// checked; a wrong name, another CA, or an invalid CA reference gives a 502 that says why, and the policy's status
// under the Gateway says it in the Gateway API's reasons (Accepted, ResolvedRefs; NoValidCACertificate, InvalidKind,
// InvalidCACertificateRef, Conflicted). A changed CA ConfigMap is followed.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { TLSSocket } from 'node:tls';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { WebSocket, WebSocketServer } from 'ws';
import { startIngressProxy, type IngressProxy } from '../../../main/ingress';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { freePort } from '../../helpers/free-port';
import { wsExchange } from '../../helpers/ws-exchange';
import { closeServer, listenLocal, localService, startStandinAgent, type StandinAgent } from '../../helpers/standin-agent';

const run = promisify(execFile);
const CRDS = path.join(__dirname, '../../fixtures/gateway-api/crds');

let c: TestCluster;
let agent: StandinAgent;
let proxy: IngressProxy;
let pod: https.Server;
let listener = 0;
let serving: { key: string; crt: string };
const grpcServers: grpc.Server[] = [];
const ca: Record<'good' | 'other', string> = { good: '', other: '' };

interface Seen { sni: string | false | null; path: string; host: string }

/** A CA (key and certificate) named `name` in `dir`. */
async function makeCa(dir: string, name: string): Promise<{ key: string; crt: string }> {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', key, '-out', crt]);
  return { key, crt };
}

/** A serving certificate for abc.example.com (and a SPIFFE ID) signed by `issuer`. */
async function makeServing(dir: string, issuer: { key: string; crt: string }): Promise<{ key: string; crt: string }> {
  const key = path.join(dir, 'pod.key');
  const csr = path.join(dir, 'pod.csr');
  const crt = path.join(dir, 'pod.crt');
  const ext = path.join(dir, 'pod.ext');
  fs.writeFileSync(ext, 'subjectAltName=DNS:abc.example.com,URI:spiffe://cluster.local/ns/default/sa/web\n');
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=abc.example.com', '-keyout', key, '-out', csr]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', issuer.crt, '-CAkey', issuer.key, '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', crt]);
  return { key, crt };
}

function request(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: listener, path: p, headers: { Host: 'abc.example.com' }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${p}: no answer in 10 s`)));
    req.end();
  });
}

/** A Service `name` (port 443, named btls) whose one endpoint is the local port. */
const service = (name: string, port: number): string => localService(name, port, { portName: 'btls', servicePort: 443 });

/** A BackendTLSPolicy for Service `target`'s btls port. */
const policy = (name: string, target: string, validation: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: { name: ${name} }
spec:
  targetRefs: [{ group: "", kind: Service, name: ${target}, sectionName: btls }]
  validation: ${validation}
---
`;

const caMap = (name: string, pem: string): string => `apiVersion: v1
kind: ConfigMap
metadata: { name: ${name} }
data:
  ca.crt: |
${pem.trim().split('\n').map((l) => `    ${l}`).join('\n')}
---
`;

/** The conditions of our ancestor entry (the Gateway gw) in a policy's status, as `type=status/reason`. */
async function policyConditions(name: string): Promise<string[]> {
  const out = await c.kubectlOk(['get', 'backendtlspolicy', name, '-o', 'json']);
  type Ancestor = { ancestorRef: { name: string; kind: string; namespace?: string }; controllerName: string;
    conditions: Array<{ type: string; status: string; reason: string; observedGeneration: number }> };
  const p = JSON.parse(out) as { metadata: { generation: number }; status?: { ancestors?: Ancestor[] } };
  const a = p.status?.ancestors?.find((x) => x.ancestorRef.name === 'gw' && x.ancestorRef.kind === 'Gateway' && x.controllerName === 'flotilla.dev/gateway');
  return (a?.conditions ?? []).filter((x) => x.observedGeneration === p.metadata.generation).map((x) => `${x.type}=${x.status}/${x.reason}`).sort();
}

const conditionsBecome = (name: string, want: string[]): Promise<string[]> =>
  waitFor(async () => { const got = await policyConditions(name); return JSON.stringify(got) === JSON.stringify(want) ? got : undefined; }, `${name}'s status ${want.join(', ')}`, 20_000);

beforeAll(async () => {
  c = await startTestCluster();
  agent = await startStandinAgent();
  proxy = await startIngressProxy(c.core.client, agent.endpoint, { httpPort: 0, httpsPort: 0, log: (l) => c.logs.push(l), defaultCert: { certPem: '', keyPem: '' } });
  await c.kubectlOk(['apply', '--server-side', '-f', CRDS], { timeoutMs: 60_000 });
  const dir = fs.mkdtempSync(path.join(c.dir, 'pki-'));
  const good = await makeCa(dir, 'good-ca');
  const other = await makeCa(dir, 'other-ca');
  ca.good = fs.readFileSync(good.crt, 'utf8');
  ca.other = fs.readFileSync(other.crt, 'utf8');
  serving = await makeServing(dir, good);
  pod = https.createServer({ key: fs.readFileSync(serving.key), cert: fs.readFileSync(serving.crt) }, (req, res) => {
    const seen: Seen = { sni: (req.socket as TLSSocket).servername, path: req.url ?? '', host: req.headers.host ?? '' };
    res.end(JSON.stringify(seen));
  });
  new WebSocketServer({ server: pod }).on('connection', (ws, req) =>
    ws.on('message', (m: Buffer) => ws.send(`${(req.socket as TLSSocket).servername || 'no SNI'} ${req.url ?? ''} ${m.toString()}`)));
  const port = await listenLocal(pod);
  listener = await freePort();
  const backends = ['secure', 'mismatch', 'wrongca', 'missing', 'wrongkind', 'san', 'plain'];
  const rules = backends.map((b) => `  - { matches: [{ path: { type: PathPrefix, value: /${b} } }], backendRefs: [{ name: ${b}, port: 443 }] }`).join('\n');
  await c.kubectlOk(['apply', '-f', '-'], { input: `${backends.map((b) => service(b, port)).join('')}${caMap('ca', ca.good)}${caMap('other-ca', ca.other)}${caMap('no-key', '')}
${policy('secure', 'secure', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }], hostname: abc.example.com }')}
${policy('mismatch', 'mismatch', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }], hostname: other.example.com }')}
${policy('wrongca', 'wrongca', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: other-ca }], hostname: abc.example.com }')}
${policy('missing', 'missing', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: nope }], hostname: abc.example.com }')}
${policy('wrongkind', 'wrongkind', '{ caCertificateRefs: [{ group: "", kind: Secret, name: ca }], hostname: abc.example.com }')}
${policy('san', 'san', `{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }], hostname: sni.example.com,
    subjectAltNames: [{ type: URI, uri: "spiffe://cluster.local/ns/default/sa/web" }] }`)}
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: flotilla
  listeners: [{ name: http, port: ${listener}, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: tls-backends }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [abc.example.com]
  rules:
${rules}
` });
  await waitFor(async () => (await request('/secure').catch(() => undefined))?.status === 200, 'the route to the secure backend', 30_000);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await agent?.close();
  await closeServer(pod);
  for (const g of grpcServers) g.forceShutdown();
  await c?.stop();
});

describe('BackendTLSPolicy on the built-in gateway', () => {
  it('reaches the pod over TLS with the policy\'s hostname as SNI, its CA trusted, and says so in the policy\'s status', async () => {
    const seen = JSON.parse((await request('/secure/a?b=1')).body) as Seen;
    expect(seen).toEqual({ sni: 'abc.example.com', path: '/secure/a?b=1', host: 'abc.example.com' });
    expect(await conditionsBecome('secure', ['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs'])).toHaveLength(2);
    const features = await c.kubectlOk(['get', 'gatewayclass', 'flotilla', '-o', 'jsonpath={.status.supportedFeatures[*].name}']);
    expect(features.split(' ')).toEqual(expect.arrayContaining(['BackendTLSPolicy', 'BackendTLSPolicySANValidation']));
  });

  it('passes a WebSocket through over TLS to the pod', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${listener}/secure/chat`, { headers: { Host: 'abc.example.com' } });
    expect(await wsExchange(ws, 'hi')).toBe('abc.example.com /secure/chat hi');
  });

  it('checks the subjectAltNames instead of the hostname when the policy lists them', async () => {
    const seen = JSON.parse((await request('/san')).body) as Seen;
    expect(seen.sni).toBe('sni.example.com'); // the hostname is still the SNI
  });

  it('answers 502 saying why when the certificate does not match the hostname or is not signed by the CA', async () => {
    const mismatch = await request('/mismatch');
    expect(mismatch.status).toBe(502);
    expect(mismatch.body).toMatch(/^502 Bad Gateway: pod default\/mismatch-0 port \d+: TLS under BackendTLSPolicy default\/mismatch: Hostname\/IP does not match certificate's altnames: Host: other\.example\.com\. is not in the cert's altnames: DNS:abc\.example\.com/);
    const wrongCa = await request('/wrongca');
    expect(wrongCa.status).toBe(502);
    expect(wrongCa.body).toContain('TLS under BackendTLSPolicy default/wrongca: unable to verify the first certificate');
    // Without a policy the gateway speaks plain HTTP, which the TLS pod does not answer.
    expect((await request('/plain')).status).toBe(502);
    expect(await conditionsBecome('mismatch', ['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs'])).toHaveLength(2);
  });

  it('fails requests under a policy without a valid CA reference, with the Gateway API\'s reasons in its status', async () => {
    expect(await request('/missing')).toEqual({ status: 502,
      body: '502 Bad Gateway: BackendTLSPolicy default/missing: no valid CA certificate: caCertificateRefs[0]: ConfigMap default/nope not found\n' });
    expect(await conditionsBecome('missing', ['Accepted=False/NoValidCACertificate', 'ResolvedRefs=False/InvalidCACertificateRef'])).toHaveLength(2);
    expect((await request('/wrongkind')).body).toBe('502 Bad Gateway: BackendTLSPolicy default/wrongkind: no valid CA certificate: caCertificateRefs[0]: Secret ca is not supported: only a ConfigMap\n');
    expect(await conditionsBecome('wrongkind', ['Accepted=False/NoValidCACertificate', 'ResolvedRefs=False/InvalidKind'])).toHaveLength(2);
    // A ConfigMap without ca.crt, then with it: the policy follows.
    await c.kubectlOk(['patch', 'backendtlspolicy', 'missing', '--type=json', '-p', '[{"op":"replace","path":"/spec/validation/caCertificateRefs/0/name","value":"no-key"}]']);
    await waitFor(async () => (await request('/missing')).body.includes('ConfigMap default/no-key holds no PEM certificate'), 'the empty bundle refused', 20_000);
    await c.kubectlOk(['apply', '-f', '-'], { input: caMap('no-key', ca.good) });
    await waitFor(async () => (await request('/missing')).status === 200, 'the filled ConfigMap taken', 20_000);
    expect(await conditionsBecome('missing', ['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs'])).toHaveLength(2);
  });

  it('gives a Service\'s port to the older policy, the newer Conflicted', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: policy('secure-newer', 'secure', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: other-ca }], hostname: abc.example.com }') });
    expect(await conditionsBecome('secure-newer', ['Accepted=False/Conflicted', 'ResolvedRefs=True/ResolvedRefs'])).toHaveLength(2);
    expect((await request('/secure')).status).toBe(200); // still the older policy's CA
    await c.kubectlOk(['delete', 'backendtlspolicy', 'secure-newer']);
  });

  it('calls a gRPC backend over TLS (ALPN h2) under its policy, from a GRPCRoute', async () => {
    const json = { serialize: (v: unknown) => Buffer.from(JSON.stringify(v)), deserialize: (b: Buffer) => JSON.parse(b.toString()) as unknown };
    const say = { path: '/demo.Echo/Say', requestStream: false, responseStream: false,
      requestSerialize: json.serialize, requestDeserialize: json.deserialize, responseSerialize: json.serialize, responseDeserialize: json.deserialize };
    const server = new grpc.Server();
    server.addService({ Say: say }, {
      Say: (call: grpc.ServerUnaryCall<{ msg: string }, unknown>, done: grpc.sendUnaryData<unknown>) => done(null, { msg: call.request.msg, secure: true }),
    });
    const creds = grpc.ServerCredentials.createSsl(null, [{ private_key: fs.readFileSync(serving.key), cert_chain: fs.readFileSync(serving.crt) }]);
    const grpcPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
    grpcServers.push(server);
    await c.kubectlOk(['apply', '-f', '-'], { input: `${service('grpcs', grpcPort)}${policy('grpcs', 'grpcs', '{ caCertificateRefs: [{ group: "", kind: ConfigMap, name: ca }], hostname: abc.example.com }')}
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: grpcs }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [grpc.example.com]
  rules: [{ backendRefs: [{ name: grpcs, port: 443 }] }]
` });
    const Client = grpc.makeGenericClientConstructor({ Say: say }, 'Echo');
    const call = (): Promise<unknown> => new Promise((resolve, reject) => {
      const cl = new Client(`127.0.0.1:${listener}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': 'grpc.example.com' });
      (cl as unknown as Record<string, (r: unknown, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => void>).Say.call(cl, { msg: 'hi' }, (e, r) => {
        cl.close();
        if (e) reject(e); else resolve(r);
      });
    });
    expect(await waitFor(() => call().catch(() => undefined), 'the gRPC call over TLS', 20_000)).toEqual({ msg: 'hi', secure: true });
  });

  it('encrypts anew to the pod what a TLSRoute\'s Terminate listener decrypted, under the backend\'s policy', async () => {
    const tlsListener = await freePort();
    await c.kubectlOk(['create', 'secret', 'tls', 'listener-tls', `--cert=${serving.crt}`, `--key=${serving.key}`]);
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: terminate }
spec:
  gatewayClassName: flotilla
  listeners: [{ name: tls, port: ${tlsListener}, protocol: TLS, tls: { mode: Terminate, certificateRefs: [{ name: listener-tls }] } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: { name: terminate }
spec:
  parentRefs: [{ name: terminate }]
  hostnames: [tls.example.com]
  rules: [{ backendRefs: [{ name: secure, port: 443 }] }]
` });
    // An HTTP request over the client's TLS: the listener decrypts it, the gateway encrypts it again to the HTTPS pod.
    const exchange = (): Promise<string> => new Promise((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: tlsListener, servername: 'tls.example.com', rejectUnauthorized: false }, () => {
        socket.write('GET /via-tlsroute HTTP/1.1\r\nHost: abc.example.com\r\nConnection: close\r\n\r\n');
      });
      let got = '';
      socket.setEncoding('utf8').on('data', (d: string) => (got += d)).on('end', () => resolve(got)).on('error', reject);
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    });
    const answer = await waitFor(() => exchange().then((a) => (a.startsWith('HTTP/1.1 200') ? a : undefined), () => undefined), 'the TLSRoute to the HTTPS pod', 20_000);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ sni: 'abc.example.com', path: '/via-tlsroute', host: 'abc.example.com' });
    // The policy lists that Gateway among its ancestors beside the HTTPRoutes' one.
    await waitFor(async () => {
      const p = JSON.parse(await c.kubectlOk(['get', 'backendtlspolicy', 'secure', '-o', 'json'])) as { status?: { ancestors?: Array<{ ancestorRef: { name: string }; conditions: Array<{ type: string; status: string }> }> } };
      const names = (p.status?.ancestors ?? []).filter((a) => a.conditions.some((x) => x.type === 'Accepted' && x.status === 'True')).map((a) => a.ancestorRef.name).sort();
      return JSON.stringify(names) === JSON.stringify(['gw', 'terminate']) ? names : undefined;
    }, 'the terminating Gateway among the policy\'s ancestors', 20_000);
  });

  it('follows a change of the CA ConfigMap\'s content', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: caMap('ca', ca.other) });
    await waitFor(async () => (await request('/secure')).status === 502, 'the new CA refusing the pod\'s certificate', 20_000);
    await c.kubectlOk(['apply', '-f', '-'], { input: caMap('ca', ca.good) });
    await waitFor(async () => (await request('/secure')).status === 200, 'the CA back', 20_000);
  });
});
