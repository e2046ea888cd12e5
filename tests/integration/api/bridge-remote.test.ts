// The UI's port forwards and YAML apply on another cluster: a bridge session of one control plane (A) switched to a
// second (B) through its kubeconfig. A forward to one of B's pods goes through B's API server — pods/portforward
// upgraded to SPDY — to a stand-in node agent that echoes with the port it was asked for; a pod whose node cannot
// be reached shows B's own message on the forward; forwards outlive the session. YAML is applied with B's discovery
// and answered with B's own errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type RawData } from 'ws';
import type { KObject, Pod } from '../../../main/api/types';
import type { BridgeEvents, EventName } from '../../../main/bridge/contract';
import { bridgeDepsOf, type BridgeDeps, type BridgeSession } from '../../../main/bridge/handlers';
import { createClusterSession } from '../../../main/bridge/clusters/session';
import { kubeconfigSources } from '../../../main/bridge/clusters/sources';
import { closeRemoteForwards } from '../../../main/bridge/clusters/remote-forwards';
import { attachPodStreams } from '../../../main/apiserver/streams';
import { rawBuffer } from '../../../main/protocol/ws-data';
import { HttpClient } from '../../../main/client/http';
import { PortForwards } from '../../../main/tunnel/port-forwards';
import { apiPodDialer } from '../../../main/tunnel/api-pod-dialer';
import { startTestCluster, waitFor } from '../../helpers/cluster';
import type { TestCluster } from '../../helpers/cluster';
import { bridgeCalls } from '../../helpers/bridge-calls';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

let a: TestCluster;
let b: TestCluster;
let deps: BridgeDeps;
let session: BridgeSession;
let contextId = '';
let agent: http.Server;
let detach: () => void;
const events: Array<{ name: EventName; payload: unknown }> = [];
/** The agent paths B's API server asked the stand-in for. */
const asked: string[] = [];

const { call, ok } = bridgeCalls(() => session);

/** A node agent's /portForward stand-in: every message comes back as `<port>:<message>`; an empty one half-closes. */
async function startAgent(): Promise<http.Server> {
  const wss = new WebSocketServer({ noServer: true });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    asked.push(req.url ?? '');
    const port = new URL(req.url ?? '/', 'http://x').searchParams.get('port');
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (raw: RawData) => {
      const d = rawBuffer(raw);
      ws.send(d.length === 0 ? d : Buffer.concat([Buffer.from(`${port}:`), d]));
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Sends `text` through a local port and reads until the far side ends (or `until` is in the reply). */
function talk(port: number, text: string, until: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes(until)) { s.end(); resolve(got); }
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(got); }, 10_000).unref();
  });
}

async function runningPod(name: string, node: string): Promise<void> {
  await b.client.create<Pod>(PODS, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName: node, containers: [{ name: 'web', image: 'x', ports: [{ containerPort: 8080 }] }] },
  });
  await b.client.patch(PODS, name, { status: { phase: 'Running', podIP: '10.244.9.9' } }, 'merge', { namespace: 'default', subresource: 'status' });
}

beforeAll(async () => {
  [a, b, agent] = await Promise.all([startTestCluster(), startTestCluster(), startAgent()]);
  const agentPort = (agent.address() as net.AddressInfo).port;
  detach = attachPodStreams(b.core, {
    dial: async (node) => {
      if (node !== 'n1') throw new Error(`no route to ${node}`);
      return net.connect(agentPort, '127.0.0.1');
    },
    serverToken: () => 'agent-token',
  });
  for (const n of ['n1', 'gone']) await b.client.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
  await runningPod('web', 'n1');
  await runningPod('lost', 'gone');
  deps = bridgeDepsOf(a.core);
  session = createClusterSession(deps, (name, payload) => events.push({ name, payload }), kubeconfigSources({ dataDir: a.core.dataDir, env: {}, home: path.join(a.dir, 'home') }));
  contextId = (await ok('addKubeconfig', { path: b.core.kubeconfigPath })).contexts[0].id;
  await ok('useCluster', { id: contextId });
}, 120_000);

afterAll(async () => {
  session?.dispose();
  if (deps) await closeRemoteForwards(deps);
  detach?.();
  await new Promise((resolve) => agent?.close(resolve));
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('port forwards on another cluster', () => {
  it('forwards to a pod of the other cluster through its API server', async () => {
    const f = await ok('openForward', { target: { kind: 'pod', namespace: 'default', name: 'web', port: 8080 } });
    expect(f).toMatchObject({ target: { kind: 'pod', name: 'web', port: 8080 }, url: `http://127.0.0.1:${f.localPort}/`, ready: 1 });
    expect(await talk(f.localPort, 'hello', 'hello')).toBe('8080:hello');
    // A second connection (one more stream on the pod's SPDY connection) works too.
    expect(await talk(f.localPort, 'again', 'again')).toBe('8080:again');
    expect(asked.filter((p) => p === '/portForward/default/web?port=8080')).toHaveLength(2);
    expect((await ok('forwards', null)).map((x) => x.localPort)).toContain(f.localPort);
  });

  it('shows why a connection cannot reach the pod, in the API server\'s words', async () => {
    const f = await ok('openForward', { target: { kind: 'pod', namespace: 'default', name: 'lost', port: 8080 } });
    expect(await talk(f.localPort, 'hello', 'hello')).toBe('');
    const problem = await waitFor(async () => (await ok('forwards', null)).find((x) => x.localPort === f.localPort)?.problem, 'the forward\'s problem', 10_000);
    expect(problem).toBe('no connection to node "gone": no route to gone');
    // The session hears of it too (the 'forwards' event the Ports view follows).
    await waitFor(() => events.filter((e) => e.name === 'forwards').map((e) => (e.payload as BridgeEvents['forwards']).forwards)
      .some((l) => l.some((x) => x.localPort === f.localPort && x.problem === problem)) || undefined, 'a forwards event with the problem', 10_000);
  });

  it('refuses a pod the other cluster does not have, in Kubernetes\' words', async () => {
    expect(await call('openForward', { target: { kind: 'pod', namespace: 'default', name: 'nope', port: 80 } }))
      .toEqual({ ok: false, error: { code: 404, reason: 'NotFound', message: 'pods "nope" not found' } });
  });

  it('refuses a forward in words when the cluster will not let its Services, EndpointSlices and pods be listed', async () => {
    await b.client.create({ group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'limited', namespace: 'default' } });
    const tr = await b.client.request('POST', '/api/v1/namespaces/default/serviceaccounts/limited/token', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
    const creds = { server: b.core.api.url, caCertPem: b.core.caCertPem, token: (JSON.parse(tr.text) as { status: { token: string } }).status.token };
    const client = new HttpClient(creds);
    const dialer = apiPodDialer(creds);
    const forwards = new PortForwards(client, dialer.dial, { log: () => undefined, syncMs: 1500 });
    try {
      await expect(forwards.open({ target: { kind: 'pod', namespace: 'default', name: 'web', port: 8080 } })).rejects.toMatchObject({
        code: 503, reason: 'ServiceUnavailable',
        message: expect.stringMatching(/^cannot list the cluster's Services, EndpointSlices and pods \(waited 1\.5 s\): informer .* is forbidden: User "system:serviceaccount:default:limited" cannot list/) as unknown,
      });
    } finally {
      await forwards.close();
      dialer.close();
      client.close();
    }
  });

  it('keeps the forwards when the UI session ends; a new session on the context lists them and can stop them', async () => {
    const before = (await ok('forwards', null)).map((x) => x.localPort).sort();
    session.dispose();
    session = createClusterSession(deps, (name, payload) => events.push({ name, payload }), kubeconfigSources({ dataDir: a.core.dataDir, env: {}, home: path.join(a.dir, 'home') }));
    expect(await ok('forwards', null)).toEqual([]);
    await ok('useCluster', { id: contextId });
    expect((await ok('forwards', null)).map((x) => x.localPort).sort()).toEqual(before);
    await ok('stopForward', { id: String(before[0]) });
    expect((await ok('forwards', null)).map((x) => x.localPort)).toEqual(before.slice(1));
  });
});

describe('YAML on another cluster', () => {
  const deployment = (replicas: number): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: remote-web}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: remote-web}}\n`
    + '  template:\n    metadata: {labels: {app: remote-web}}\n    spec: {containers: [{name: web, image: nginx}]}\n';

  it('dry-runs and applies to the other cluster with its discovery', async () => {
    const dry = (await ok('applyDocuments', { yaml: deployment(2), dryRun: true })).documents;
    expect(dry).toHaveLength(1);
    expect(dry[0]).toMatchObject({ key: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'remote-web', namespace: 'default' }, live: null });
    await ok('applyDocuments', { yaml: deployment(2), dryRun: false });
    const made = await b.client.get<KObject>(DEPLOYMENTS, 'remote-web', 'default');
    expect((made.spec as { replicas: number }).replicas).toBe(2);
    await expect(a.client.get(DEPLOYMENTS, 'remote-web', 'default')).rejects.toThrow(/not found/);
    expect(await ok('getObjectByKind', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'remote-web' })).toMatchObject({ metadata: { name: 'remote-web' } });
  });

  it('answers with the other cluster\'s own 422 and causes, and its words for a kind it does not serve', async () => {
    const bad = (await ok('applyDocuments', { yaml: deployment(-1), dryRun: true })).documents[0];
    expect(bad.error).toMatchObject({ code: 422, reason: 'Invalid', causes: [{ field: 'spec.replicas', reason: 'FieldValueInvalid' }] });
    expect(bad.error?.message).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const nope = (await ok('applyDocuments', { yaml: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n', dryRun: true })).documents[0];
    expect(nope.error).toEqual({ code: 404, reason: 'NotFound', message: 'the server does not serve Widget in example.com/v1' });
  });
});
