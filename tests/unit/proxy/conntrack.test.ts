// Which UDP conntrack entries the agent deletes after a sync (kube-proxy's rules): flows to an endpoint that went
// away, by every service address and the NodePort; and a service port that just got endpoints, whose cached flows
// were rejected. TCP services and unchanged endpoints cause nothing.
import { describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { staleEntryDeletions, udpPorts } from '../../../vm-images/agent/proxy/conntrack';

const dns = (ips: string[], over: Partial<ServiceModel> = {}): ServiceModel => ({
  namespace: 'kube-system', name: 'dns', clusterIP: '10.96.0.53', sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
  ports: [{ name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 'tcp', port: 53, protocol: 'TCP' }],
  endpoints: ips.map((ip) => ({ ip, ports: { dns: 5353, tcp: 5353 }, ready: true })),
  ...over,
});
const model = (...services: ServiceModel[]): ProxyModel => ({ services, nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16' });
const plan = (a: ProxyModel, b: ProxyModel) => staleEntryDeletions(udpPorts(a), udpPorts(b));

describe('stale UDP conntrack entries', () => {
  it('are deleted for a removed endpoint, by ClusterIP, externalIPs, load balancer addresses and NodePort', () => {
    const extra = { externalIPs: ['203.0.113.5'], loadBalancerIPs: ['10.250.0.4'] };
    expect(plan(model(dns(['10.244.1.5', '10.244.2.6'], extra)), model(dns(['10.244.2.6'], extra)))).toEqual([
      ['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.96.0.53', '--dst-nat', '10.244.1.5'],
      ['conntrack', '-D', '-p', 'udp', '--orig-dst', '203.0.113.5', '--dst-nat', '10.244.1.5'],
      ['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.250.0.4', '--dst-nat', '10.244.1.5'],
      ['conntrack', '-D', '-p', 'udp', '--dport', '30053', '--dst-nat', '10.244.1.5'],
    ]);
  });

  it('are deleted for a service port that had no endpoints and now has some', () => {
    expect(plan(model(dns([])), model(dns(['10.244.1.5'])))).toEqual([
      ['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.96.0.53'],
      ['conntrack', '-D', '-p', 'udp', '--dport', '30053'],
    ]);
  });

  it('are left alone when nothing changed, an endpoint was added to a served port, or the port is TCP', () => {
    expect(plan(model(dns(['10.244.1.5'])), model(dns(['10.244.1.5'])))).toEqual([]);
    expect(plan(model(dns(['10.244.1.5'])), model(dns(['10.244.1.5', '10.244.2.6'])))).toEqual([]);
    const tcpOnly = (ips: string[]) => dns(ips, { ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }] });
    expect(plan(model(tcpOnly(['10.244.1.5'])), model(tcpOnly([])))).toEqual([]);
  });

  it('are deleted for every endpoint of a service that went away', () => {
    expect(plan(model(dns(['10.244.1.5'])), model())).toEqual([
      ['conntrack', '-D', '-p', 'udp', '--orig-dst', '10.96.0.53', '--dst-nat', '10.244.1.5'],
      ['conntrack', '-D', '-p', 'udp', '--dport', '30053', '--dst-nat', '10.244.1.5'],
    ]);
  });
});
