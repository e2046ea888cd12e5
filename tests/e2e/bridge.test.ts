// The bridge in web mode against a real core: the UI server's token guard, static files, and the
// typed calls and pushed events over a real WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as http from 'node:http';
import WebSocket from 'ws';
import type { KObject } from '../../main/api/types';
import type { BridgeEvents, BridgeResult, CallName, CallReq, CallRes, EventName, WsServerMessage } from '../../main/bridge/contract';
import { startUiServer } from '../../main/bridge/web-server';
import { UI_TOKEN_FILE } from '../../main/bridge/ui-token';
import { rawBuffer } from '../../main/protocol/ws-data';
import type { UiServer } from '../../main/bridge/web-server';
import { startTestCluster, waitFor } from '../helpers/cluster';
import type { TestCluster } from '../helpers/cluster';

let c: TestCluster;
let ui: UiServer;
let base: string;

function get(p: string, headers: Record<string, string> = {}): Promise<{ code: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    // A fresh connection per request: a pooled one may belong to a server stopped meanwhile.
    http.get({ host: u.hostname, port: u.port, path: p, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

/** A bridge client over the WebSocket, as the renderer's web-mode transport speaks it. */
class WsBridge {
  private id = 0;
  private readonly waiting = new Map<number, (r: BridgeResult<unknown>) => void>();
  readonly events: Array<{ event: EventName; payload: unknown }> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(rawBuffer(d).toString()) as WsServerMessage;
      if ('id' in m) this.waiting.get(m.id)?.(m.result);
      else this.events.push({ event: m.event, payload: m.payload });
    });
  }
  static open(url: string, headers: Record<string, string> = {}): Promise<WsBridge> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new WsBridge(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  call<K extends CallName>(name: K, req: CallReq<K>): Promise<BridgeResult<CallRes<K>>> {
    const id = ++this.id;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (r: BridgeResult<unknown>) => void);
      this.ws.send(JSON.stringify({ id, call: name, req }));
    });
  }
  async ok<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
    const r = await this.call(name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  }
  of<E extends EventName>(event: E): Array<BridgeEvents[E]> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as BridgeEvents[E]);
  }
}

function wsUrl(token?: string): string {
  const u = new URL(base);
  return `ws://${u.host}/bridge${token ? `?token=${token}` : ''}`;
}

beforeAll(async () => {
  c = await startTestCluster();
  const staticDir = path.join(c.dir, 'ui');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Flotilla</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  ui = await startUiServer(c.core, { port: 0, staticDir });
  base = ui.url;
});

afterAll(async () => {
  await ui?.stop();
  await c?.stop();
});

describe('UI server', () => {
  it('prints a URL with a token and refuses pages and the bridge without it', async () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const denied = await get('/');
    expect(denied.code).toBe(403);
    expect(denied.body).toContain('needs its token');
    expect((await get('/assets/app.js')).code).toBe(403);
    await expect(WsBridge.open(wsUrl())).rejects.toThrow('HTTP 403');
    await expect(WsBridge.open(wsUrl('wrong'))).rejects.toThrow('HTTP 403');
    await expect(WsBridge.open(wsUrl(ui.token), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('serves the page with the token, sets a per-port cookie, and then works without the token', async () => {
    const first = await get(`/?token=${ui.token}`);
    expect(first.code).toBe(200);
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(first.headers['set-cookie']?.[0] ?? '');
    const port = new URL(base).port;
    expect(cookie).toMatch(new RegExp(`^flotilla_token_${port}=${ui.token}; Path=/; HttpOnly; SameSite=Strict`));
    const again = await get('/assets/app.js', { Cookie: cookie.split(';')[0] });
    expect(again.code).toBe(200);
    expect(again.headers['content-type']).toContain('javascript');
    expect((await get('/some/view', { Cookie: cookie.split(';')[0] })).body).toContain('<title>Flotilla');
    const outside = await get('/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', { Cookie: cookie.split(';')[0] });
    expect(outside.body).not.toContain('root:');
    const b = await WsBridge.open(wsUrl(), { Cookie: cookie.split(';')[0] });
    expect((await b.ok('providers', null)).map((p) => p.provider)).toEqual(['sandbox', 'lima', 'multipass', 'qemu']);
    b.ws.close();
  });
});

describe('bridge calls over WebSocket', () => {
  let b: WsBridge;
  beforeAll(async () => {
    b = await WsBridge.open(wsUrl(ui.token));
  });
  afterAll(() => b?.ws.close());

  it('lists and watches a kind; objects come without managedFields', async () => {
    const list = await b.ok('list', { kind: 'nodes' });
    expect(list.items).toEqual([]);
    const { watchId } = await b.ok('watch', { kind: 'nodes', resourceVersion: list.resourceVersion });
    await c.client.create({ group: '', version: 'v1', plural: 'nodes', namespaced: false }, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const ev = await waitFor(() => b.of('watch').find((p) => p.watchId === watchId && p.events.some((e) => e.type === 'ADDED')), 'ADDED n1');
    const obj = ev.events[0].object;
    expect(obj.metadata?.name).toBe('n1');
    expect(obj.metadata?.managedFields).toBeUndefined();
    expect(await b.ok('unwatch', { watchId })).toBeNull();
  });

  it('deploys an app as a Deployment and a Service, pinned by required node affinity, then scales and deletes it', async () => {
    const r = await b.ok('deployApp', { name: 'web', image: 'docker.io/flotilla/hello:1', replicas: 2, port: 8080, expose: 'NodePort', env: [{ name: 'A', value: '1' }], node: 'n1' });
    expect(r).toEqual({ deployment: 'web', service: 'web' });
    const dep = await c.client.get<KObject>({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }, 'web', 'default');
    const spec = dep.spec as { replicas: number; template: { spec: { affinity: unknown; containers: Array<{ env: unknown }> } } };
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } });
    expect(spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    const svc = await c.client.get<KObject>({ group: '', version: 'v1', plural: 'services', namespaced: true }, 'web', 'default');
    expect((svc.spec as { type: string }).type).toBe('NodePort');

    await b.ok('scale', { namespace: 'default', name: 'web', replicas: 5 });
    expect(((await c.client.get<KObject>({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }, 'web', 'default')).spec as { replicas: number }).replicas).toBe(5);

    const dup = await b.call('deployApp', { name: 'web', image: 'x', replicas: 1, expose: 'None' });
    expect(dup).toMatchObject({ ok: false, error: { code: 409, reason: 'AlreadyExists' } });
    const bad = await b.call('deployApp', { name: 'Web App', image: 'x', replicas: 1, expose: 'None' });
    expect(bad).toMatchObject({ ok: false, error: { code: 422 } });

    await b.ok('deleteApp', { namespace: 'default', name: 'web' });
    await expect(c.client.get({ group: '', version: 'v1', plural: 'services', namespaced: true }, 'web', 'default')).rejects.toThrow();
  });

  it('applies YAML server-side, and reports the API error readably', async () => {
    const r = await b.ok('applyYaml', { yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg2, namespace: kube-system}\n' });
    expect(r.applied).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg', namespace: 'default' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'cfg2', namespace: 'kube-system' },
    ]);
    const bad = await b.call('applyYaml', { yaml: 'apiVersion: v1\nkind: Nope\nmetadata: {name: x}\n' });
    expect(bad).toMatchObject({ ok: false, error: { code: 404, message: 'the server does not serve Nope in v1' } });
    const broken = await b.call('applyYaml', { yaml: 'a: [' });
    expect(broken.ok).toBe(false);
  });

  it('cordons and drains a node, and creates Machines', async () => {
    await b.ok('cordon', { node: 'n1', unschedulable: true });
    expect(((await c.client.get<KObject>({ group: '', version: 'v1', plural: 'nodes', namespaced: false }, 'n1')).spec as { unschedulable?: boolean }).unschedulable).toBe(true);
    expect(await b.ok('drain', { node: 'n1' })).toEqual({ evicted: 0, waiting: [] });
    const m = await b.ok('addMachine', { provider: 'lima', cpus: 2, memoryMiB: 2048, diskGiB: 10, name: 'm1' });
    expect(m.spec).toMatchObject({ provider: 'lima', cpus: 2, memoryMiB: 2048, diskGiB: 10 });
    const invalid = await b.call('addMachine', { provider: 'lima', cpus: 0, memoryMiB: 2048, diskGiB: 10 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 422, message: 'CPUs must be a whole number from 1 to 64' } });
    await b.ok('removeMachine', { name: 'm1' });
  });

  it('streams a pod log, or ends the stream with the server\'s message', async () => {
    await c.client.create({ group: '', version: 'v1', plural: 'pods', namespaced: true }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const { streamId } = await b.ok('logs', { namespace: 'default', pod: 'lonely', follow: true });
    const end = await waitFor(() => b.of('log').find((p) => p.streamId === streamId && p.end), 'log end');
    expect(end.end?.error?.message).toMatch(/lonely/);
  });

  it('samples node metrics while subscribed', async () => {
    const { subscriptionId } = await b.ok('subscribeMetrics', null);
    const first = await waitFor(() => b.of('metrics')[0], 'a metrics event');
    expect(typeof first.available).toBe('boolean');
    await b.ok('unsubscribeMetrics', { subscriptionId });
  });

  it('keeps an image tarball for the nodes, imports it into running ones, and says so', async () => {
    const tar = Buffer.alloc(1536);
    tar.write('image.json', 0);
    tar.write('ustar', 257, 'latin1');
    const r = await b.ok('importImage', { fileName: 'my-app.tar', dataBase64: tar.toString('base64') });
    expect(r.message).toBe('Saved my-app.tar (no node is running yet). Every node added from now on gets it too.');
    expect(fs.existsSync(path.join(c.core.dataDir, 'images-extra', 'my-app.tar'))).toBe(true);
  });

  it('says clearly what is not supported, unknown, or malformed', async () => {
    const imp = await b.call('importImage', { fileName: 'app.tar', dataBase64: 'AAAA' });
    expect(imp).toMatchObject({ ok: false, error: { code: 400 } });
    if (!imp.ok) expect(imp.error.message).toContain('app.tar is not a tar archive');
    const unknown = await b.call('nope' as CallName, null);
    expect(unknown).toMatchObject({ ok: false, error: { code: 404 } });
    const badKind = await b.call('list', { kind: 'secrets' as never });
    expect(badKind).toMatchObject({ ok: false, error: { code: 400, message: 'unknown kind "secrets"' } });
  });
});

describe('a restarted UI server', () => {
  it('keeps its token in the data dir (owner-only) and accepts the open tab\'s token and cookie again', async () => {
    const file = path.join(c.core.dataDir, UI_TOKEN_FILE);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(ui.token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const port = Number(new URL(base).port);
    const staticDir = path.join(c.dir, 'ui');
    const cookie = `flotilla_token_${port}=${ui.token}`;
    await ui.stop();
    ui = await startUiServer(c.core, { port, staticDir });
    expect(ui.url).toBe(base);
    expect((await get('/assets/app.js', { Cookie: cookie })).code).toBe(200);
    const b = await WsBridge.open(wsUrl(), { Cookie: cookie });
    expect((await b.ok('providers', null)).length).toBe(4);
    b.ws.close();
  });
});
