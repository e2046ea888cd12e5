// What a ResourceQuota counts of Services: services, services.nodeports (every port of a NodePort or LoadBalancer
// Service) and services.loadbalancers.
import { describe, expect, it } from 'vitest';
import { usageOf, type NamespaceObjects } from '../../../main/api/quota-usage';

const svc = (type: string, ports: number) => ({ spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) } });

describe('quota usage of Services', () => {
  it('counts node ports and load balancers by type', () => {
    const objs: NamespaceObjects = {
      pods: [], configmaps: [], secrets: [], persistentvolumeclaims: [],
      services: [svc('ClusterIP', 3), svc('NodePort', 2), svc('LoadBalancer', 1), { spec: { ports: [{ port: 1 }] } }],
    };
    expect(usageOf('services', objs)).toBe(4);
    expect(usageOf('services.nodeports', objs)).toBe(3);
    expect(usageOf('services.loadbalancers', objs)).toBe(1);
    expect(usageOf('count/services', objs)).toBe(4);
  });
});
