import { describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { RuleCache } from '../../../vm-images/agent/proxy/rule-cache';
import { buildRules } from '../../../vm-images/agent/proxy/rules';

function svc(i: number, over: Partial<ServiceModel> = {}): ServiceModel {
  return {
    namespace: 'default', name: `s${i}`, clusterIP: `10.96.0.${i}`,
    ports: [{ name: 'http', port: 80, protocol: 'TCP', ...(i % 2 ? { nodePort: 30000 + i } : {}) }],
    sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
    endpoints: [1, 2].map((j) => ({ ip: `10.244.${i}.${j}`, ports: { http: 8080 }, ready: true })),
    ...over,
  };
}

function model(services: ServiceModel[], clusterCIDR = '10.244.0.0/16'): ProxyModel {
  return { services, nodeIPs: ['10.251.0.2'], clusterCIDR };
}

describe('RuleCache', () => {
  it('builds exactly what buildRules builds, through a series of changes', () => {
    const base = [1, 2, 3, 4].map((i) => svc(i));
    const steps: ProxyModel[] = [
      model(base),
      model([svc(1, { endpoints: [] }), ...base.slice(1)]), // endpoints gone: REJECT instead
      model([svc(1), svc(2, { clusterIP: '10.96.9.9' }), ...base.slice(2)]),
      model([svc(1), svc(2, { ports: [{ name: 'http', port: 81, protocol: 'TCP' }] }), svc(3, { sessionAffinity: 'ClientIP' })]),
      model([svc(5), ...base]), // added, and not in sorted position
      model(base, '10.200.0.0/16'), // render context changed
      model(Array.from({ length: 600 }, (_, i) => svc(i % 250, { name: `big${i}` }))), // large-cluster mode
      model(base),
    ];
    const cache = new RuleCache();
    for (const m of steps) expect(cache.build(m)).toEqual(buildRules(m));
  });

  it('renders again only services whose model changed, and all of them when the context changes', () => {
    const cache = new RuleCache();
    const base = [1, 2, 3].map((i) => svc(i));
    const first = cache.build(model(base));
    expect(cache.rendered).toBe(3);

    const same = cache.build(model([1, 2, 3].map((i) => svc(i))));
    expect(cache.rendered).toBe(0);
    expect(same.services.get('default/s2')).toBe(first.services.get('default/s2'));

    const moved = svc(2);
    moved.endpoints[0].ip = '10.244.2.99';
    const next = cache.build(model([svc(1), moved, svc(3)]));
    expect(cache.rendered).toBe(1);
    expect(next.services.get('default/s1')).toBe(first.services.get('default/s1'));
    expect(next.services.get('default/s2')).not.toBe(first.services.get('default/s2'));

    cache.build(model([svc(1), moved, svc(3)], '10.200.0.0/16'));
    expect(cache.rendered).toBe(3);
  });
});
