import { describe, expect, it } from 'vitest';
import { cniConfig, gatewayOf } from '../../../vm-images/agent/network/cni-config';
import { cidrWithin, podRoutesFromNodes } from '../../../vm-images/agent/network/routes';

describe('cniConfig', () => {
  it('is a bridge + host-local + portmap conflist for the node podCIDR', () => {
    const conf: unknown = JSON.parse(cniConfig('cni0', '10.244.3.0/24', '/var/lib/flotilla/ipam'));
    expect(conf).toEqual({
      cniVersion: '1.0.0',
      name: 'flotilla',
      plugins: [
        {
          type: 'bridge', bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: false, hairpinMode: true,
          ipam: {
            type: 'host-local', ranges: [[{ subnet: '10.244.3.0/24', gateway: '10.244.3.1' }]],
            dataDir: '/var/lib/flotilla/ipam',
          },
        },
        { type: 'portmap', capabilities: { portMappings: true }, snat: true },
      ],
    });
  });

  it('computes gateways and rejects bad CIDRs', () => {
    expect(gatewayOf('10.244.0.0/16')).toBe('10.244.0.1');
    expect(gatewayOf('192.168.7.130/25')).toBe('192.168.7.129');
    expect(() => gatewayOf('10.244.0.0')).toThrow();
    expect(() => gatewayOf('300.1.1.0/24')).toThrow();
  });
});

describe('routes (pure parts)', () => {
  it('cidrWithin', () => {
    expect(cidrWithin('10.244.3.0/24', '10.244.0.0/16')).toBe(true);
    expect(cidrWithin('10.245.3.0/24', '10.244.0.0/16')).toBe(false);
    expect(cidrWithin('10.0.0.0/8', '10.244.0.0/16')).toBe(false);
    expect(cidrWithin('10.244.1.7', '10.244.0.0/16')).toBe(true);
  });

  it('podRoutesFromNodes skips itself and nodes without podCIDR or InternalIP', () => {
    expect(podRoutesFromNodes([
      { metadata: { name: 'a' }, spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '10.251.0.2' }] } },
      { metadata: { name: 'b' }, spec: { podCIDR: '10.244.2.0/24' }, status: { addresses: [{ type: 'Hostname', address: 'b' }, { type: 'InternalIP', address: '10.251.0.3' }] } },
      { metadata: { name: 'c' }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: '10.251.0.4' }] } },
      { metadata: { name: 'd' }, spec: { podCIDR: '10.244.4.0/24' }, status: {} },
    ], 'a')).toEqual([{ cidr: '10.244.2.0/24', via: '10.251.0.3' }]);
  });
});
