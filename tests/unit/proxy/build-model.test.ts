import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../../main/api/types';
import { buildModel } from '../../../vm-images/agent/proxy/build-model';

function service(name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec };
}

function slice(name: string, svcName: string, body: Partial<EndpointSlice>): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints: [],
    metadata: { name, namespace: 'shop', labels: { 'kubernetes.io/service-name': svcName } }, ...body,
  };
}

describe('buildModel', () => {
  it('joins services to their slices, resolving named target ports per slice', () => {
    const svc = service('web', {
      clusterIP: '10.96.1.1', type: 'NodePort', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP', nodePort: 30001 }],
    });
    const a = slice('web-a', 'web', {
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'n1' },
        { addresses: ['10.244.1.6'], conditions: { ready: false }, nodeName: 'n1' },
        { addresses: ['10.244.1.7'], nodeName: 'n2' },
      ],
    });
    const b = slice('web-b', 'web', { ports: [{ name: 'http', port: 9090, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.2.5'], conditions: { ready: true } }] });
    const other = slice('x', 'other', { ports: [{ name: 'http', port: 1 }], endpoints: [{ addresses: ['10.244.9.9'] }] });
    const m = buildModel([svc], [a, b, other], 'n1', ['10.251.0.2']);
    expect(m.nodeIPs).toEqual(['10.251.0.2']);
    expect(m.clusterCIDR).toBe('10.244.0.0/16');
    expect(m.nodeName).toBe('n1');
    expect(m.services).toHaveLength(1);
    const s = m.services[0];
    expect(s).toMatchObject({ namespace: 'shop', name: 'web', clusterIP: '10.96.1.1', sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 60 });
    expect(s.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30001 }]);
    expect(s.endpoints).toEqual([
      { ip: '10.244.1.5', ports: { http: 8080 }, ready: true, nodeName: 'n1' },
      { ip: '10.244.1.6', ports: { http: 8080 }, ready: false, nodeName: 'n1' },
      { ip: '10.244.1.7', ports: { http: 8080 }, ready: true, nodeName: 'n2' },
      { ip: '10.244.2.5', ports: { http: 9090 }, ready: true },
    ]);
  });

  it('skips headless, ExternalName and IPv6 services and non-IPv4 slices; ignores nodePort on ClusterIP services', () => {
    const m = buildModel([
      service('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
      service('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }),
      service('v6', { clusterIP: 'fd00::1', ports: [{ port: 80 }] }),
      service('plain', { clusterIP: '10.96.1.2', ports: [{ port: 80, nodePort: 30002 }] }),
    ], [
      slice('p6', 'plain', { addressType: 'IPv6', ports: [{ port: 80 }], endpoints: [{ addresses: ['fd00::5'] }] }),
      slice('p4', 'plain', { ports: [{ port: 8000 }], endpoints: [{ addresses: ['10.244.1.9'] }] }),
    ], 'n1', []);
    expect(m.services.map((s) => s.name)).toEqual(['plain']);
    expect(m.services[0].ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(m.services[0].sessionAffinity).toBe('None');
    expect(m.services[0].affinityTimeoutSeconds).toBe(10800);
    expect(m.services[0].endpoints).toEqual([{ ip: '10.244.1.9', ports: { '': 8000 }, ready: true }]);
  });
});

describe('buildModel: traffic from outside', () => {
  const svc = (spec: Service['spec'], status?: Service['status']): Service => ({ ...service('lb', spec), status });

  it('takes externalIPs, VIP load balancer addresses (not ipMode Proxy), traffic policies and the health check port', () => {
    const m = buildModel([svc({
      clusterIP: '10.96.1.2', type: 'LoadBalancer', externalIPs: ['192.0.2.9', 'fd00::1'], externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local',
      healthCheckNodePort: 32100, ports: [{ port: 80, protocol: 'TCP', nodePort: 30002 }],
    }, { loadBalancer: { ingress: [{ ip: '10.250.0.1', ipMode: 'VIP' }, { ip: '10.250.0.2', ipMode: 'Proxy' }, { hostname: 'lb.example' }] } })], [], 'n1', ['10.251.0.2']);
    expect(m.services[0]).toMatchObject({
      externalIPs: ['192.0.2.9'], loadBalancerIPs: ['10.250.0.1'], externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', healthCheckNodePort: 32100,
    });
  });

  it('leaves them out for a plain ClusterIP service (its model is what it always was)', () => {
    const m = buildModel([svc({ clusterIP: '10.96.1.3', externalTrafficPolicy: 'Local', ports: [{ port: 80, protocol: 'TCP' }] })], [], 'n1', ['10.251.0.2']);
    expect(Object.keys(m.services[0]).sort()).toEqual(['affinityTimeoutSeconds', 'clusterIP', 'endpoints', 'name', 'namespace', 'ports', 'sessionAffinity']);
  });
});
