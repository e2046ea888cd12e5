// The agent's service health server (kube-proxy's healthcheck): one HTTP server per healthCheckNodePort of an
// externalTrafficPolicy Local Service, 503 until this node has a ready endpoint, then 200, Kubernetes' JSON either
// way; closed when the Service no longer has the port. Real sockets on 127.0.0.1.
import * as http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { ServiceHealthServer } from '../../../vm-images/agent/services/health-check';
import { freePort } from '../../helpers/free-port';
import { waitFor } from '../../helpers/wait';

let server: ServiceHealthServer | undefined;
afterEach(() => server?.stop());

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

type Endpoint = ServiceModel['endpoints'][number];

interface Serving { health: ServiceHealthServer; port: number; first: { status: number; type?: string; body: string } }

/** Starts the health server for the Service with a health check on a free port and these endpoints; its first answer. */
async function serve(proxyHealthy: boolean, endpoints: Endpoint[]): Promise<Serving> {
  const port = await freePort();
  const health = new ServiceHealthServer({ proxyHealthy: () => proxyHealthy, log: () => undefined, host: '127.0.0.1' });
  server = health;
  health.sync(model({ healthCheckNodePort: port, endpoints }));
  const first = await waitFor(async () => { const r = await get(port); return 'status' in r ? r : undefined; }, 'health server up', 5000, 20);
  return { health, port, first };
}

describe('service health server', () => {
  it('answers 503 without local endpoints, 200 with them, any path, in Kubernetes\' JSON; closes with the port', async () => {
    const { health, port, first: down } = await serve(true, [{ ip: '10.244.2.5', ports: { '': 8080 }, ready: true, nodeName: 'node-2' }]);
    expect(down.status).toBe(503);
    expect(down.type).toBe('application/json');
    expect(JSON.parse(down.body)).toEqual({ service: { namespace: 'shop', name: 'web' }, localEndpoints: 0, serviceProxyHealthy: true });
    health.sync(model({ healthCheckNodePort: port, endpoints: [
      { ip: '10.244.1.5', ports: { '': 8080 }, ready: true, nodeName: 'node-1' },
      { ip: '10.244.1.6', ports: { '': 8080 }, ready: false, nodeName: 'node-1' },
    ] }));
    const up = await get(port, '/anything');
    expect(up).toMatchObject({ status: 200 });
    expect('body' in up && up.body).toBe('{\n\t"service": {\n\t\t"namespace": "shop",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 1,\n\t"serviceProxyHealthy": true\n}');
    health.sync(model({}));
    expect(health.ports).toEqual([]);
    await waitFor(async () => 'error' in (await get(port)), 'health server closed', 5000, 20);
  });

  it('answers 503 while the proxier is not healthy, even with local endpoints', async () => {
    const { first: r } = await serve(false, [{ ip: '10.244.1.5', ports: { '': 8080 }, ready: true, nodeName: 'node-1' }]);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body)).toMatchObject({ localEndpoints: 1, serviceProxyHealthy: false });
  });
});
