// The agent's service health server (kube-proxy's healthcheck): one HTTP server per healthCheckNodePort of an
// externalTrafficPolicy Local Service, 503 until this node has a ready endpoint, then 200, Kubernetes' JSON either
// way; closed when the Service no longer has the port. Real sockets on 127.0.0.1.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { ServiceHealthServer } from '../../../vm-images/agent/services/health-check';
import { waitFor } from '../../helpers/wait';

let server: ServiceHealthServer | undefined;
afterEach(() => server?.stop());

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function get(port: number, path = '/healthz'): Promise<{ status: number; type?: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    }).on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });
}

const model = (svc: Partial<ServiceModel>): ProxyModel => ({
  nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16', nodeName: 'node-1',
  services: [{
    namespace: 'shop', name: 'web', clusterIP: '10.96.0.20', ports: [{ name: '', port: 80, protocol: 'TCP', nodePort: 30080 }],
    sessionAffinity: 'None', affinityTimeoutSeconds: 10800, endpoints: [], externalTrafficPolicy: 'Local', ...svc,
  }],
});

describe('service health server', () => {
  it('answers 503 without local endpoints, 200 with them, any path, in Kubernetes\' JSON; closes with the port', async () => {
    const port = await freePort();
    server = new ServiceHealthServer({ proxyHealthy: () => true, log: () => undefined, host: '127.0.0.1' });
    server.sync(model({ healthCheckNodePort: port, endpoints: [{ ip: '10.244.2.5', ports: { '': 8080 }, ready: true, nodeName: 'node-2' }] }));
    const down = await waitFor(async () => { const r = await get(port); return 'status' in r ? r : undefined; }, 'health server up', 5000, 20);
    expect(down.status).toBe(503);
    expect(down.type).toBe('application/json');
    expect(JSON.parse(down.body)).toEqual({ service: { namespace: 'shop', name: 'web' }, localEndpoints: 0, serviceProxyHealthy: true });
    server.sync(model({ healthCheckNodePort: port, endpoints: [
      { ip: '10.244.1.5', ports: { '': 8080 }, ready: true, nodeName: 'node-1' },
      { ip: '10.244.1.6', ports: { '': 8080 }, ready: false, nodeName: 'node-1' },
    ] }));
    const up = await get(port, '/anything');
    expect(up).toMatchObject({ status: 200 });
    expect('body' in up && up.body).toBe('{\n\t"service": {\n\t\t"namespace": "shop",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 1,\n\t"serviceProxyHealthy": true\n}');
    server.sync(model({}));
    expect(server.ports).toEqual([]);
    await waitFor(async () => 'error' in (await get(port)), 'health server closed', 5000, 20);
  });

  it('answers 503 while the proxier is not healthy, even with local endpoints', async () => {
    const port = await freePort();
    server = new ServiceHealthServer({ proxyHealthy: () => false, log: () => undefined, host: '127.0.0.1' });
    server.sync(model({ healthCheckNodePort: port, endpoints: [{ ip: '10.244.1.5', ports: { '': 8080 }, ready: true, nodeName: 'node-1' }] }));
    const r = await waitFor(async () => { const x = await get(port); return 'status' in x ? x : undefined; }, 'health server up', 5000, 20);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toMatchObject({ localEndpoints: 1, serviceProxyHealthy: false });
  });
});
