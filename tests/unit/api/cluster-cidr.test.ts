// The cluster CIDR (--cluster-cidr): what is refused and why, and the /24 node ranges carved from it.
import { describe, expect, it } from 'vitest';
import { nodeRange, nodeRangeCount, nodeRangeIndex, parseClusterCIDR } from '../../../main/api/cluster-cidr';

describe('cluster CIDR', () => {
  it('carves /24 node ranges in order, and finds a podCIDR\'s index', () => {
    const def = parseClusterCIDR('10.244.0.0/16');
    expect(nodeRangeCount(def)).toBe(256);
    expect([0, 1, 255].map((i) => nodeRange(def, i))).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.255.0/24']);
    expect(nodeRangeIndex(def, '10.244.7.0/24')).toBe(7);
    const small = parseClusterCIDR('10.130.32.0/20');
    expect(nodeRangeCount(small)).toBe(16);
    expect(nodeRange(small, 15)).toBe('10.130.47.0/24');
    expect(nodeRangeIndex(small, '10.130.33.0/24')).toBe(1);
    const wide = parseClusterCIDR('172.16.0.0/12');
    expect(nodeRange(wide, 256)).toBe('172.17.0.0/24');
    expect(nodeRangeIndex(wide, '172.31.255.0/24')).toBe(4095);
    expect(parseClusterCIDR('192.168.5.0/24')).toMatchObject({ cidr: '192.168.5.0/24', bits: 24 });
  });

  it('does not count ranges outside it, or of another size, as its own', () => {
    const c = parseClusterCIDR('10.130.32.0/20');
    expect(nodeRangeIndex(c, '10.244.1.0/24')).toBeUndefined();
    expect(nodeRangeIndex(c, '10.130.48.0/24')).toBeUndefined();
    expect(nodeRangeIndex(c, '10.130.32.0/25')).toBeUndefined();
    expect(nodeRangeIndex(c, 'garbage')).toBeUndefined();
    expect(nodeRangeIndex(c, undefined)).toBeUndefined();
  });

  it.each([
    ['10.244.0.0', 'not an IPv4 CIDR such as 10.244.0.0/16'],
    ['10.244.0.0/33', 'not an IPv4 CIDR'],
    ['10.300.0.0/16', 'not an IPv4 CIDR'],
    ['fd00::/48', 'not an IPv4 CIDR'],
    ['10.244.1.0/16', 'host bits are set (the network is 10.244.0.0/16)'],
    ['10.244.0.0/25', 'mask size must be less than or equal to the node CIDR mask size (/24)'],
    ['10.0.0.0/7', 'mask size must be at least /8'],
    ['10.96.0.0/12', 'it overlaps the service CIDR 10.96.0.0/16'],
    ['10.250.0.0/16', 'it overlaps the load balancer pool 10.250.0.0/24'],
    ['10.251.7.0/24', 'it overlaps the sandbox nodes\' networks 10.251.0.0/16'],
  ])('refuses %s: %s', (text, message) => {
    expect(() => parseClusterCIDR(text)).toThrow(message);
    expect(() => parseClusterCIDR(text)).toThrow(`invalid cluster CIDR "${text}"`);
  });
});
