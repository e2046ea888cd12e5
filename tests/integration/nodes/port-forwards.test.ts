// The UI's port forwards on a real sandbox node (containerd, runc, the real agent, real kubectl): "Open" on a Service
// and on a pod's port answers through 127.0.0.1 from the host; a pod deleted and recreated by its ReplicaSet leaves
// both forwards working (each connection picks a ready pod then); a port another program or another forward holds is
// refused with a free port to use instead; forwards belong to the control plane, so a second bridge session (a UI
// reload) lists them; a catalog deploy gets its forward, which goes with the app; a stopped forward no longer listens.
import * as http from 'node:http';
import * as net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { PortForward } from '../../../main/api/port-forward';
import type { BridgeError, BridgeEvents, CallName, CallReq, CallRes } from '../../../main/bridge/contract';
import { bridgeDepsOf, createBridgeSession, type BridgeSession } from '../../../main/bridge/handlers';
import { connectionRefused as refused, freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/cluster';
import { sandboxCluster, skipWithoutAgent } from './support';

const IMAGE = 'docker.io/flotilla/hello:1';

const app = (name: string): object[] => [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1,
        containers: [{ name: 'hello', image: IMAGE, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
];

/** GET / on 127.0.0.1:port with a fresh connection: the body, or an error. */
const get = (port: number): Promise<string> => new Promise((resolve, reject) => {
  const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 20_000 }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', reject);
});
const answers = async (port: number): Promise<string | undefined> => get(port).catch(() => undefined);

class Session {
  readonly events: Array<BridgeEvents['forwards']> = [];
  readonly s: BridgeSession;
  constructor(deps: ReturnType<typeof bridgeDepsOf>) {
    this.s = createBridgeSession(deps, (name, payload) => { if (name === 'forwards') this.events.push(payload as BridgeEvents['forwards']); });
  }
  async call<K extends CallName>(name: K, req: CallReq<K>): Promise<{ value?: CallRes<K>; error?: BridgeError }> {
    const r = await this.s.call(name, req);
    return r.ok ? { value: r.value as CallRes<K> } : { error: r.error };
  }
  async ok<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
    const r = await this.call(name, req);
    if (r.error) throw new Error(`${name}: ${r.error.message}`);
    return r.value!;
  }
}

describe.skipIf(skipWithoutAgent)('port forwards on a sandbox node', () => {
  const { c, ok } = sandboxCluster(25, { okTimeoutMs: 150_000 });
  let ui: Session;
  let blocker: net.Server | undefined;
  let svcFwd: PortForward;
  let podFwd: PortForward;
  const podName = async (): Promise<string> => (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();

  afterAll(async () => {
    ui?.s.dispose();
    await new Promise((resolve) => (blocker?.listening ? blocker.close(resolve) : resolve(undefined)));
  });

  it('opens a Service port and a pod port on 127.0.0.1, answered by the app', async () => {
    for (const o of app('web')) await ok(['apply', '-f', '-'], JSON.stringify(o));
    await ok(['rollout', 'status', 'deployment/web', '--timeout=150s']);
    ui = new Session(bridgeDepsOf(c.core));
    svcFwd = await ui.ok('openForward', { target: { kind: 'service', namespace: 'default', name: 'web', port: 80 } });
    expect(svcFwd.url).toBe(`http://127.0.0.1:${svcFwd.localPort}/`);
    expect(svcFwd.localPort).toBeGreaterThanOrEqual(8080);
    expect(await get(svcFwd.localPort)).toMatch(/^Hello from web-/);
    // "Open" again: the same forward, not a second one.
    expect((await ui.ok('openForward', { target: svcFwd.target })).id).toBe(svcFwd.id);
    const pod = await podName();
    podFwd = await ui.ok('openForward', { target: { kind: 'pod', namespace: 'default', name: pod, port: 8080 }, localPort: await freePort() });
    expect(await get(podFwd.localPort)).toBe(await get(podFwd.localPort));
    expect(await get(podFwd.localPort)).toContain(pod);
    const listed = await waitFor(() => ui.events.at(-1)?.forwards.length === 2 ? ui.events.at(-1)!.forwards : undefined, 'the forwards event', 10_000);
    expect(listed.map((f) => [f.target.kind, f.ready, f.problem])).toEqual(expect.arrayContaining([['service', 1, undefined], ['pod', 1, undefined]]));
  }, 240_000);

  it('keeps both forwards working when the pod is deleted and its ReplicaSet makes another', async () => {
    const before = await podName();
    await ok(['delete', 'pod', before, '--wait=false']);
    const after = await waitFor(async () => { const n = await podName(); return n && n !== before ? n : undefined; }, 'the new pod', 60_000);
    await ok(['wait', '--for=condition=Ready', `pod/${after}`, '--timeout=120s']);
    expect(await waitFor(() => answers(svcFwd.localPort).then((b) => (b?.includes(after) ? b : undefined)), 'the Service forward on the new pod', 60_000))
      .toMatch(/^Hello from web-/);
    expect(await waitFor(() => answers(podFwd.localPort).then((b) => (b?.includes(after) ? b : undefined)), 'the pod forward on its successor', 60_000))
      .toMatch(/^Hello from web-/);
  }, 200_000);

  it('refuses a taken port with a free one to use instead, and checks what it is given', async () => {
    const port = await freePort();
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const target = { kind: 'service' as const, namespace: 'default', name: 'web', port: 80 };
    const taken = await ui.call('openForward', { target, localPort: port });
    expect(taken.error?.code).toBe(409);
    const free = Number(/port (\d+) is free$/.exec(taken.error?.message ?? '')?.[1]);
    expect(taken.error?.message).toBe(`port ${port} on 127.0.0.1 is already in use by another program; port ${free} is free`);
    expect(await refused(free)).toBe(true);
    const again = await ui.call('openForward', { target, localPort: podFwd.localPort });
    expect(again.error?.message).toMatch(new RegExp(`^port ${podFwd.localPort} on 127.0.0.1 is already forwarded to pod default/web-\\S+ port 8080; port \\d+ is free$`));
    expect((await ui.call('openForward', { target: { ...target, port: 81 } })).error).toEqual({ code: 422, reason: 'Invalid', message: 'Service web does not have a service port 81' });
    expect((await ui.call('openForward', { target: { ...target, name: 'nope' } })).error).toEqual({ code: 404, reason: 'NotFound', message: 'services "nope" not found' });
    expect((await ui.call('openForward', { target: { ...target, port: 0 } })).error?.message).toBe('target.port must be a whole number from 1 to 65535');
    expect((await ui.call('openForward', { target, localPort: 70_000 })).error?.message).toBe('localPort must be a whole number from 1 to 65535');
    expect((await ui.call('stopForward', { id: '1' })).error).toEqual({ code: 404, reason: 'NotFound', message: 'port forward "1" not found' });
  });

  it('lists the forwards in a new session (a UI reload), makes one for a catalog deploy that goes with the app, and stops one', async () => {
    ui.s.dispose();
    ui = new Session(bridgeDepsOf(c.core));
    expect((await ui.ok('forwards', null)).map((f) => f.id).sort()).toEqual([svcFwd.id, podFwd.id].sort());
    await ui.ok('deployApp', { name: 'hello', image: IMAGE, replicas: 1, port: 8080, expose: 'ClusterIP' });
    const auto = (await ui.ok('forwards', null)).find((f) => f.app === 'hello');
    expect(auto?.target).toEqual({ kind: 'service', namespace: 'default', name: 'hello', port: 8080 });
    expect(await waitFor(() => answers(auto!.localPort).then((b) => (b?.startsWith('Hello from hello-') ? b : undefined)), 'the app through its forward', 120_000))
      .toMatch(/^Hello from hello-/);
    await ui.ok('deleteApp', { name: 'hello', namespace: 'default' });
    expect((await ui.ok('forwards', null)).some((f) => f.app === 'hello')).toBe(false);
    expect(await refused(auto!.localPort)).toBe(true);
    await ui.ok('stopForward', { id: podFwd.id });
    expect(await refused(podFwd.localPort)).toBe(true);
    expect((await ui.ok('forwards', null)).map((f) => f.id)).toEqual([svcFwd.id]);
  }, 180_000);
});
