// Subresources as the resource table routes them: namespaces/finalize (update only, everything but
// status), the verbs each subresource serves, streams only over an upgrade, and metrics.k8s.io.
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  // No controllers: the namespace controller would finalize the namespace itself.
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

async function call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const r = await c.client.request(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
  return { code: r.code, body: JSON.parse(r.text) as Record<string, unknown> };
}

/** An upgrade request (as kubectl exec makes one) and the status line and body it is refused with. */
function upgrade(path: string): Promise<{ code: number; text: string }> {
  const url = new URL(c.core.api.url);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: url.hostname, port: url.port, path, ca: c.core.caCertPem, agent: false,
      headers: { Authorization: `Bearer ${c.core.auth.adminToken}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
    });
    req.on('upgrade', () => reject(new Error('the server upgraded the connection')));
    req.on('error', reject);
    req.end();
  });
}

describe('subresource routes', () => {
  it('discovery lists namespaces/finalize with the update verb, as Kubernetes does', async () => {
    const list = await call('GET', '/api/v1');
    const resources = list.body.resources as Array<{ name: string; verbs: string[]; kind: string }>;
    const finalize = resources.find((r) => r.name === 'namespaces/finalize');
    expect(finalize).toMatchObject({ kind: 'Namespace', verbs: ['update'] });
    expect(resources.findIndex((r) => r.name === 'namespaces/finalize')).toBeLessThan(resources.findIndex((r) => r.name === 'namespaces/status'));
  });

  it('PUT namespaces/finalize removes finalizers (the namespace goes), PATCH is not served', async () => {
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } })).code).toBe(201);
    expect((await call('DELETE', '/api/v1/namespaces/doomed')).code).toBe(202);
    const ns = await call('GET', '/api/v1/namespaces/doomed');
    expect(ns.body.status).toEqual({ phase: 'Terminating' });
    expect((await call('PATCH', '/api/v1/namespaces/doomed/finalize', { spec: { finalizers: [] } }, 'application/merge-patch+json')).code).toBe(405);
    const done = await call('PUT', '/api/v1/namespaces/doomed/finalize', { ...ns.body, spec: { finalizers: [] } });
    expect(done.code).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/doomed')).code).toBe(404);
  });

  it('binds a pod through pods/binding and through v1 bindings, with Kubernetes\' checks of the Binding', async () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('b1'))).code).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('b2'))).code).toBe(201);
    const binding = (name: string, target: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target });
    const mismatch = await call('POST', '/api/v1/namespaces/default/pods/b1/binding', binding('b2', { name: 'n1' }));
    expect(mismatch).toMatchObject({ code: 400, body: { message: 'name in URL does not match name in Binding object' } });
    const bad = await call('POST', '/api/v1/namespaces/default/pods/b1/binding', binding('b1', { kind: 'Pod' }));
    expect(bad.code).toBe(422);
    expect(bad.body.message).toBe('Binding "b1" is invalid: [target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]');
    expect((await call('POST', '/api/v1/namespaces/default/pods/b1/binding', binding('b1', { name: 'n1' }))).code).toBe(201);
    // The older schedulers' path: the Binding names the pod.
    const legacy = await call('POST', '/api/v1/namespaces/default/bindings', binding('b2', { kind: 'Node', name: 'n2' }));
    expect(legacy).toMatchObject({ code: 201, body: { kind: 'Status', status: 'Success' } });
    const bound = await call('GET', '/api/v1/namespaces/default/pods/b2');
    expect((bound.body.spec as { nodeName: string }).nodeName).toBe('n2');
    expect((await call('POST', '/api/v1/namespaces/default/bindings', binding('b2', { name: 'n3' }))).body.message).toBe('Operation cannot be fulfilled on pods "b2": pod b2 is already assigned to node "n2"');
    expect((await call('GET', '/api/v1/namespaces/default/bindings')).code).toBe(405);
    const discovered = ((await call('GET', '/api/v1')).body.resources as Array<{ name: string; verbs: string[]; kind: string; namespaced: boolean }>).find((r) => r.name === 'bindings');
    expect(discovered).toEqual(expect.objectContaining({ kind: 'Binding', verbs: ['create'], namespaced: true }));
    for (const name of ['b1', 'b2']) await call('DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=0`);
  });

  it('a subresource answers only its verbs, and streams need an upgraded connection', async () => {
    expect((await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })).code).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/pods/p/binding')).code).toBe(405);
    expect((await call('DELETE', '/api/v1/namespaces/default/pods/p/status')).code).toBe(405);
    expect((await call('GET', '/api/v1/namespaces/default/pods/p/nosuch')).code).toBe(404);
    const exec = await call('POST', '/api/v1/namespaces/default/pods/p/exec?command=true');
    expect(exec.code).toBe(400);
    expect(exec.body.message).toBe('exec needs a streaming (upgrade) connection');
    const refused = await upgrade('/api/v1/namespaces/default/pods/p/log');
    expect(refused.code).toBe(400);
    expect((JSON.parse(refused.text) as { message: string }).message).toBe('upgrade requests are only served for pods/exec, pods/attach, pods/portforward, pods/proxy and services/proxy');
  });

  it('nodes/proxy: listed with get, other verbs 405, an unknown node 404, a node without an agent connection 503', async () => {
    const resources = (await call('GET', '/api/v1')).body.resources as Array<{ name: string; verbs: string[]; kind: string }>;
    expect(resources.find((r) => r.name === 'nodes/proxy')).toMatchObject({ kind: 'NodeProxyOptions', verbs: ['get'] });
    expect((await call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'far' } })).code).toBe(201);
    expect((await call('POST', '/api/v1/nodes/far/proxy/metrics', {})).code).toBe(405);
    const missing = await call('GET', '/api/v1/nodes/nowhere/proxy/metrics');
    expect(missing).toMatchObject({ code: 404, body: { reason: 'NotFound', message: 'nodes "nowhere" not found' } });
    const unreachable = await call('GET', '/api/v1/nodes/far/proxy/metrics');
    expect(unreachable).toMatchObject({ code: 503, body: { reason: 'ServiceUnavailable', message: 'no connection to node "far"' } });
  });

  it('metrics.k8s.io lists what the nodes report (nothing here) and 404s an unknown node', async () => {
    const list = await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(list).toEqual({ code: 200, body: { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [] } });
    const pods = await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(pods.body).toMatchObject({ kind: 'PodMetricsList', items: [] });
    const missing = await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nowhere');
    expect(missing.code).toBe(404);
    expect(missing.body.details).toMatchObject({ name: 'nowhere', group: 'metrics.k8s.io', kind: 'nodes' });
  });
});
