// The localhost load balancer on a real sandbox node (containerd, runc, the real agent, real kubectl and curl): a
// LoadBalancer Service is listened for on 127.0.0.1:<its port> by the control plane, which forwards each connection
// round robin to the Service's ready pods through the agents' port-forward tunnels; kubectl shows EXTERNAL-IP
// 127.0.0.1; a port another program holds gives a Warning event naming it and no address until it is free; deleting
// the Service or changing its type closes the listener.
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionRefused as refused, freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/cluster';
import { sandboxCluster, skipWithoutAgent } from './support';

const run = promisify(execFile);
const IMAGE = 'docker.io/flotilla/hello:1';

function app(name: string, port: number): object[] {
  return [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
      spec: { replicas: 2, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1,
          containers: [{ name: 'hello', image: IMAGE, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ name: 'http', port, targetPort: 8080 }] } },
  ];
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

describe.skipIf(skipWithoutAgent)('the localhost load balancer on a sandbox node', () => {
  const { ok } = sandboxCluster(19, { core: { loadBalancer: 'localhost' }, okTimeoutMs: 150_000 });
  let webPort = 0;
  let blocker: net.Server | undefined;

  beforeAll(async () => {
    webPort = await freePort();
    for (const o of app('web', webPort)) await ok(['apply', '-f', '-'], JSON.stringify(o));
    await ok(['rollout', 'status', 'deployment/web', '--timeout=150s']);
  }, 200_000);

  afterAll(async () => {
    await new Promise((resolve) => (blocker?.listening ? blocker.close(resolve) : resolve(undefined)));
  });

  const row = async (name: string): Promise<string[]> => (await ok(['get', 'service', name, '--no-headers'])).trim().split(/\s+/);

  it('shows EXTERNAL-IP 127.0.0.1 with ipMode Proxy', async () => {
    const r = await waitFor(async () => { const x = await row('web'); return x[3] === '127.0.0.1' ? x : undefined; }, 'the external IP', 30_000);
    expect(r[1]).toBe('LoadBalancer');
    expect(r[4]).toMatch(new RegExp(`^${webPort}:\\d+/TCP$`));
    expect(JSON.parse(await ok(['get', 'service', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress}']))).toEqual([{ ip: '127.0.0.1', ipMode: 'Proxy' }]);
  });

  it('forwards connections to 127.0.0.1:<port> round robin to the ready pods, with node:http and real curl', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const body = await get(webPort);
      expect(body).toMatch(/^Hello from web-/);
      seen.add(body);
    }
    expect(seen.size).toBe(2);
    const { stdout } = await run('curl', ['-sS', '--max-time', '20', `http://127.0.0.1:${webPort}/`]);
    expect(stdout).toMatch(/^Hello from web-/);
  });

  it('leaves a Service whose port another program holds without an address, with a Warning event naming the port, until the port is free', async () => {
    const port = await freePort();
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    await ok(['apply', '-f', '-'], JSON.stringify(app('blocked', port)[1]));
    const msg = await waitFor(async () => (await ok(['get', 'events', '--field-selector', 'involvedObject.name=blocked,reason=SyncLoadBalancerFailed',
      '-o', 'jsonpath={.items[*].type} {.items[*].message}'])).trim() || undefined, 'the Warning event', 30_000);
    expect(msg).toBe(`Warning Error syncing load balancer: failed to ensure load balancer: port ${port} on 127.0.0.1 is already in use on the host`);
    expect((await row('blocked'))[3]).toBe('<pending>');
    await new Promise((resolve) => blocker!.close(resolve));
    await waitFor(async () => ((await row('blocked'))[3] === '127.0.0.1' ? true : undefined), 'the address once the port is free', 30_000);
    expect(await refused(port)).toBe(false);
    await ok(['delete', 'service', 'blocked']);
    await waitFor(async () => ((await refused(port)) ? true : undefined), 'the listener closed after the delete', 30_000);
  }, 90_000);

  it('closes the listener and clears the address when the Service stops being a LoadBalancer', async () => {
    await ok(['patch', 'service', 'web', '-p', '{"spec":{"type":"ClusterIP"}}']);
    await waitFor(async () => ((await refused(webPort)) ? true : undefined), 'the listener closed', 30_000);
    await waitFor(async () => ((await row('web'))[3] === '<none>' ? true : undefined), 'no external IP', 30_000);
  });
});
