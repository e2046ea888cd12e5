// The localhost load balancer's plan: which Service holds which host port.
import { describe, expect, it } from 'vitest';
import { defaultLoadBalancerMode } from '../../../main/api/load-balancer';
import type { Service } from '../../../main/api/types';
import { planLoadBalancers, sameClaim, wantsLocalLoadBalancer } from '../../../main/ingress/lb-plan';

function svc(name: string, created: string, spec: NonNullable<Service['spec']>, extra: Partial<NonNullable<Service['metadata']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: created, ...extra }, spec };
}

const lb = (ports: NonNullable<NonNullable<Service['spec']>['ports']>, more: Partial<NonNullable<Service['spec']>> = {}) => ({ type: 'LoadBalancer', ports, ...more });

describe('planLoadBalancers', () => {
  it('claims every TCP port of each LoadBalancer Service of our class, and nothing of others', () => {
    const plan = planLoadBalancers([
      svc('web', '2026-01-01T00:00:00Z', lb([{ name: 'http', port: 80 }, { name: 'https', port: 443, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }])),
      svc('plain', '2026-01-01T00:00:00Z', { type: 'ClusterIP', ports: [{ port: 81 }] }),
      svc('nodeport', '2026-01-01T00:00:00Z', { type: 'NodePort', ports: [{ port: 82 }] }),
      svc('other', '2026-01-01T00:00:00Z', lb([{ port: 83 }], { loadBalancerClass: 'example.com/lb' })),
      svc('ours', '2026-01-01T00:00:00Z', lb([{ port: 84 }], { loadBalancerClass: 'flotilla.dev/load-balancer' })),
      svc('going', '2026-01-01T00:00:00Z', lb([{ port: 85 }]), { deletionTimestamp: '2026-01-02T00:00:00Z' }),
    ]);
    expect([...plan.ports.keys()].sort((a, b) => a - b)).toEqual([80, 84, 443]);
    expect(plan.ports.get(443)).toEqual({ key: 'default/web', namespace: 'default', name: 'web', port: 443, portName: 'https' });
    expect(plan.ports.get(84)?.portName).toBe('');
    expect(plan.conflicts).toEqual([]);
  });

  it('gives a port two Services ask for to the older one and names the holder to the other', () => {
    const plan = planLoadBalancers([
      svc('young', '2026-02-01T00:00:00Z', lb([{ port: 8080 }])),
      svc('old', '2026-01-01T00:00:00Z', lb([{ port: 8080 }])),
    ]);
    expect(plan.ports.get(8080)?.key).toBe('default/old');
    expect(plan.conflicts).toEqual([{ claim: { key: 'default/young', namespace: 'default', name: 'young', port: 8080, portName: '' }, holder: 'default/old' }]);
  });

  it('breaks a tie of creation times by namespace/name', () => {
    const plan = planLoadBalancers([svc('b', '2026-01-01T00:00:00Z', lb([{ port: 9 }])), svc('a', '2026-01-01T00:00:00Z', lb([{ port: 9 }]))]);
    expect(plan.ports.get(9)?.key).toBe('default/a');
  });
});

describe('wantsLocalLoadBalancer and sameClaim', () => {
  it('wants LoadBalancer Services without a class or of ours', () => {
    expect(wantsLocalLoadBalancer(svc('x', '', lb([{ port: 1 }])))).toBe(true);
    expect(wantsLocalLoadBalancer(svc('x', '', { type: 'ClusterIP' }))).toBe(false);
    expect(wantsLocalLoadBalancer(svc('x', '', lb([{ port: 1 }], { loadBalancerClass: 'x/y' })))).toBe(false);
  });

  it('sees a renamed port as a different claim', () => {
    const a = { key: 'default/a', namespace: 'default', name: 'a', port: 80, portName: 'http' };
    expect(sameClaim(a, { ...a })).toBe(true);
    expect(sameClaim(a, { ...a, portName: 'web' })).toBe(false);
    expect(sameClaim(a, { ...a, key: 'default/b', name: 'b' })).toBe(false);
  });
});

describe('defaultLoadBalancerMode', () => {
  it('picks the pool for sandbox nodes with host routes, else localhost', () => {
    expect(defaultLoadBalancerMode('sandbox', true)).toBe('pool');
    expect(defaultLoadBalancerMode('sandbox', false)).toBe('localhost');
    expect(defaultLoadBalancerMode('lima', true)).toBe('localhost');
    expect(defaultLoadBalancerMode('multipass', true)).toBe('localhost');
  });
});
