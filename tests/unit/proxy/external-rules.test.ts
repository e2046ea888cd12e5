// kube-proxy's rules for traffic from outside a service's ClusterIP: load balancer addresses and externalIPs enter
// KUBE-EXT- like the NodePort; externalTrafficPolicy Local keeps the source (no masquerade) and uses only this
// node's endpoints (KUBE-SVL-) while pods and the node itself still reach every endpoint; internalTrafficPolicy Local
// sends ClusterIP traffic to local endpoints only; DROP without local endpoints, REJECT without any.
import { describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { externalChainName, localChainName, serviceChainName } from '../../../vm-images/agent/proxy/names';
import { buildRules, type RuleSet } from '../../../vm-images/agent/proxy/rules';

const SPN = 'default/web:http';
const SVC = serviceChainName(SPN, 'tcp');
const SVL = localChainName(SPN, 'tcp');
const EXT = externalChainName(SPN, 'tcp');

function svc(over: Partial<ServiceModel> = {}): ServiceModel {
  return {
    namespace: 'default', name: 'web', clusterIP: '10.96.0.10',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
    sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
    endpoints: [
      { ip: '10.244.1.10', ports: { http: 8080 }, ready: true, nodeName: 'node-1' },
      { ip: '10.244.2.11', ports: { http: 8080 }, ready: true, nodeName: 'node-2' },
    ],
    ...over,
  };
}

const rulesOf = (s: ServiceModel): RuleSet => buildRules({ services: [s], nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16', nodeName: 'node-1' } satisfies ProxyModel);
const top = (r: RuleSet, table: 'nat' | 'filter', name: string): string[] => r.top.find((c) => c.table === table && c.name === name)?.rules ?? [];
const chain = (r: RuleSet, name: string): string[] | undefined => r.services.get('default/web')?.find((c) => c.name === name)?.rules;

describe('load balancer addresses and externalIPs', () => {
  it('enter KUBE-EXT- from KUBE-SERVICES, which masquerades and goes on to KUBE-SVC-', () => {
    const r = rulesOf(svc({ loadBalancerIPs: ['10.250.0.1'], externalIPs: ['192.0.2.50'] }));
    expect(top(r, 'nat', 'KUBE-SERVICES')).toEqual(expect.arrayContaining([
      `-A KUBE-SERVICES -m comment --comment "${SPN} external IP" -m tcp -p tcp -d 192.0.2.50 --dport 80 -j ${EXT}`,
      `-A KUBE-SERVICES -m comment --comment "${SPN} loadbalancer IP" -m tcp -p tcp -d 10.250.0.1 --dport 80 -j ${EXT}`,
    ]));
    expect(chain(r, EXT)).toEqual([
      `-A ${EXT} -m comment --comment "masquerade traffic for ${SPN} external destinations" -j KUBE-MARK-MASQ`,
      `-A ${EXT} -j ${SVC}`,
    ]);
    expect(chain(r, SVL)).toBeUndefined();
  });

  it('are REJECTed in KUBE-EXTERNAL-SERVICES when the service has no endpoints', () => {
    const r = rulesOf(svc({ loadBalancerIPs: ['10.250.0.1'], externalIPs: ['192.0.2.50'], endpoints: [] }));
    expect(top(r, 'filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no endpoints" -m tcp -p tcp -d 192.0.2.50 --dport 80 -j REJECT`,
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no endpoints" -m tcp -p tcp -d 10.250.0.1 --dport 80 -j REJECT`,
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT`,
    ]);
    expect(top(r, 'nat', 'KUBE-SERVICES').some((l) => l.includes('10.250.0.1'))).toBe(false);
  });
});

describe('externalTrafficPolicy: Local', () => {
  it('sends outside traffic to local endpoints unmasqueraded; pods and the node itself to all endpoints', () => {
    const r = rulesOf(svc({ loadBalancerIPs: ['10.250.0.1'], externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 }));
    expect(chain(r, EXT)).toEqual([
      `-A ${EXT} -m comment --comment "pod traffic for ${SPN} external destinations" -s 10.244.0.0/16 -j ${SVC}`,
      `-A ${EXT} -m comment --comment "masquerade LOCAL traffic for ${SPN} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${EXT} -m comment --comment "route LOCAL traffic for ${SPN} external destinations" -m addrtype --src-type LOCAL -j ${SVC}`,
      `-A ${EXT} -j ${SVL}`,
    ]);
    expect(chain(r, SVL)).toEqual([expect.stringMatching(new RegExp(`^-A ${SVL} -m comment --comment "${SPN} -> 10.244.1.10:8080" -j KUBE-SEP-`))]);
    // The ClusterIP still reaches both endpoints.
    expect(chain(r, SVC)?.filter((l) => l.includes('KUBE-SEP-'))).toHaveLength(2);
  });

  it('DROPs outside traffic on a node without local endpoints (not REJECT: the service has endpoints)', () => {
    const r = rulesOf(svc({ loadBalancerIPs: ['10.250.0.1'], externalTrafficPolicy: 'Local', endpoints: [svc().endpoints[1]] }));
    expect(top(r, 'filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no local endpoints" -m tcp -p tcp -d 10.250.0.1 --dport 80 -j DROP`,
      `-A KUBE-EXTERNAL-SERVICES -m comment --comment "${SPN} has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP`,
    ]);
    expect(chain(r, EXT)?.at(-1)).toContain('--src-type LOCAL -j KUBE-SVC-');
    expect(chain(r, SVL)).toBeUndefined();
  });
});

describe('internalTrafficPolicy: Local', () => {
  it('sends ClusterIP traffic to KUBE-SVL- (local endpoints only), masquerading off-cluster sources there', () => {
    const r = rulesOf(svc({ ports: [{ name: 'http', port: 80, protocol: 'TCP' }], internalTrafficPolicy: 'Local' }));
    expect(top(r, 'nat', 'KUBE-SERVICES')[0]).toBe(`-A KUBE-SERVICES -m comment --comment "${SPN} cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j ${SVL}`);
    expect(chain(r, SVL)?.[0]).toBe(`-A ${SVL} -m comment --comment "${SPN} cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`);
    expect(chain(r, SVC)).toBeUndefined();
  });

  it('DROPs ClusterIP traffic on a node without local endpoints', () => {
    const r = rulesOf(svc({ ports: [{ name: 'http', port: 80, protocol: 'TCP' }], internalTrafficPolicy: 'Local', endpoints: [svc().endpoints[1]] }));
    expect(top(r, 'filter', 'KUBE-SERVICES')).toEqual([
      `-A KUBE-SERVICES -m comment --comment "${SPN} has no local endpoints" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j DROP`,
    ]);
  });
});
