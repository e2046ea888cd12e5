// A service backend's targets: the Service port by number or name, the EndpointSlice's target port for it, ready
// pod endpoints only, round robin; and the words a 503 body gives when there are none.
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../main/api/types';
import { RoundRobin, serviceTargets } from '../../../main/tunnel/endpoints';

const svc: Service = { metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'metrics', port: 9090 }] } };
const slice: EndpointSlice = {
  addressType: 'IPv4', metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
  endpoints: [
    { addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } },
    { addresses: ['10.244.1.6'], conditions: { ready: false }, nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-2', namespace: 'shop' } },
    { addresses: ['10.244.2.7'], conditions: { ready: true }, nodeName: 'n2', targetRef: { kind: 'Pod', name: 'web-3', namespace: 'shop' } },
  ],
};

describe('service targets', () => {
  it('resolves the port by number or by name to the slice target port, ready pods only', () => {
    const byNumber = serviceTargets(svc, [slice], 'shop', 'web', { number: 80 });
    expect(byNumber).toEqual({ targets: [
      { namespace: 'shop', pod: 'web-1', node: 'n1', ip: '10.244.1.5', port: 8080 },
      { namespace: 'shop', pod: 'web-3', node: 'n2', ip: '10.244.2.7', port: 8080 },
    ] });
    const byName = serviceTargets(svc, [slice], 'shop', 'web', { name: 'metrics' });
    expect('targets' in byName && byName.targets.map((t) => t.port)).toEqual([9100, 9100]);
  });

  it('says why there is nothing to send to', () => {
    expect(serviceTargets(undefined, [], 'shop', 'gone', { number: 80 })).toEqual({ problem: 'service "shop/gone" not found' });
    expect(serviceTargets(svc, [slice], 'shop', 'web', { number: 81 })).toEqual({ problem: 'service "shop/web" has no port 81' });
    expect(serviceTargets(svc, [slice], 'shop', 'web', { name: 'grpc' })).toEqual({ problem: 'service "shop/web" has no port "grpc"' });
    expect(serviceTargets(svc, [], 'shop', 'web', { number: 80 })).toEqual({ problem: 'service "shop/web" has no ready endpoints' });
  });

  it('goes round robin', () => {
    const r = serviceTargets(svc, [slice], 'shop', 'web', { number: 80 });
    if (!('targets' in r)) throw new Error('no targets');
    const rr = new RoundRobin();
    expect([1, 2, 3, 4].map(() => rr.pick('shop/web:80', r.targets).pod)).toEqual(['web-1', 'web-3', 'web-1', 'web-3']);
  });
});
