// The desktop app starts the ingress proxy on fixed ports with `optional`: a port another program holds leaves
// the proxy off and says so in the log, and the control plane runs on; without `optional` the start fails.
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster } from '../../helpers/cluster';

describe('the ingress proxy on a port already taken', () => {
  let holder: net.Server;
  let port = 0;

  beforeAll(async () => {
    holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('is logged and left off when optional; the API server answers', async () => {
    const c = await startTestCluster({ nodes: { nodes: 0, provider: 'sandbox' }, ingress: { httpPort: port, optional: true } });
    try {
      expect(c.core.ingress).toBeUndefined();
      expect(c.logs.join('\n')).toContain(`ingress proxy not started: the ingress proxy cannot listen for HTTP on 127.0.0.1:${port}: the port is in use`);
      expect(await c.kubectlOk(['get', 'ns', 'default', '-o', 'name'])).toBe('namespace/default\n');
    } finally {
      await c.stop();
    }
  });

  it('fails the start, naming the port, when not optional', async () => {
    await expect(startTestCluster({ nodes: { nodes: 0, provider: 'sandbox' }, ingress: { httpPort: port } }))
      .rejects.toThrow(`127.0.0.1:${port}: the port is in use`);
  });
});
