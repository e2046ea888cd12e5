// The localhost load balancer in a core without machines (real API server and kubectl): a LoadBalancer Service gets
// 127.0.0.1 and a listener, pool mode's service-lb stays off, a connection without ready endpoints is closed with the
// reason logged, a second Service on the same port is told which Service holds it,
// pool mode's finalizer left from an earlier run does not hold a Service, a changed port moves the listener, and stopping the core closes
// every listener. Pods are reached on real nodes in tests/integration/nodes/localhost-lb.test.ts.
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port';
import { startTestCluster, waitFor } from '../../helpers/cluster';

const service = (name: string, port: number): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port, targetPort: 8080 }] },
});

/** Connects and reads until the server closes: what it sent, or an error. */
const exchange = (port: number): Promise<string> => new Promise((resolve, reject) => {
  const s = net.connect({ host: '127.0.0.1', port });
  let got = '';
  s.setEncoding('utf8').on('data', (d: string) => (got += d)).on('close', () => resolve(got)).on('error', reject);
});

const refused = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port });
  s.once('connect', () => { s.destroy(); resolve(false); });
  s.once('error', () => resolve(true));
});

describe('the localhost load balancer without machines', () => {
  it('listens for a LoadBalancer Service, refuses a second one its port, and closes with the core', async () => {
    const c = await startTestCluster({ nodes: { nodes: 0, provider: 'sandbox' }, loadBalancer: 'localhost' });
    const port = await freePort();
    let moved = 0;
    try {
      await c.kubectlOk(['apply', '-f', '-'], { input: service('first', port) });
      const ingress = await waitFor(async () => {
        const out = await c.kubectlOk(['get', 'service', 'first', '-o', 'jsonpath={.status.loadBalancer.ingress}']);
        return out ? out : undefined;
      }, 'the address', 20_000);
      expect(JSON.parse(ingress)).toEqual([{ ip: '127.0.0.1', ipMode: 'Proxy' }]);
      expect(await c.kubectlOk(['get', 'service', 'first', '-o', 'jsonpath={.metadata.finalizers}'])).toBe('');

      expect(await exchange(port)).toBe('');
      await waitFor(async () => (c.logs.some((l) => l.includes(`load balancer 127.0.0.1:${port}: service "default/first" has no ready endpoints`)) ? true : undefined),
        'the reason logged', 10_000);

      await c.kubectlOk(['apply', '-f', '-'], { input: service('second', port) });
      const msg = await waitFor(async () => (await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=second,reason=SyncLoadBalancerFailed',
        '-o', 'jsonpath={.items[*].message}'])).trim() || undefined, 'the Warning event', 20_000);
      expect(msg).toBe(`Error syncing load balancer: failed to ensure load balancer: port ${port} on 127.0.0.1 is already in use by service default/first`);
      expect(await c.kubectlOk(['get', 'service', 'second', '-o', 'jsonpath={.status.loadBalancer.ingress}'])).toBe('');

      // A Service left with pool mode's finalizer (the data dir ran in pool mode before) is not held by it.
      const pooled = JSON.parse(service('pooled', await freePort())) as { metadata: object };
      pooled.metadata = { name: 'pooled', finalizers: ['service.kubernetes.io/load-balancer-cleanup'] };
      await c.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(pooled) });
      await c.kubectlOk(['delete', 'service', 'pooled', '--timeout=20s']);

      // A changed port: the old listener closes, the new one opens (and the freed port goes to the Service waiting for it).
      moved = await freePort();
      await c.kubectlOk(['patch', 'service', 'first', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/ports/0/port', value: moved }])]);
      await waitFor(async () => ((await refused(moved)) ? undefined : true), 'the new port listened on', 20_000);
      await waitFor(async () => ((await c.kubectlOk(['get', 'service', 'second', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) === '127.0.0.1' ? true : undefined),
        'the freed port taken by the waiting Service', 20_000);
      await c.kubectlOk(['delete', 'service', 'second']);
      await waitFor(async () => ((await refused(port)) ? true : undefined), 'the old port closed', 20_000);
    } finally {
      await c.stop();
    }
    expect(await refused(moved)).toBe(true);
  }, 60_000);
});
