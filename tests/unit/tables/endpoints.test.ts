import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { DAY, ago, cells, headers } from './fixtures';

const meta = { name: 'kube-dns', namespace: 'kube-system', creationTimestamp: ago(4 * DAY) };

describe('endpoints table', () => {
  it('has the real columns', () => {
    expect(headers('', 'endpoints').wide).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
  });

  it('lists three ip:port then "+ N more..." (kube-dns: 2 pods × 3 ports)', () => {
    const ep: KObject = {
      apiVersion: 'v1', kind: 'Endpoints', metadata: meta,
      subsets: [{
        addresses: [{ ip: '10.1.0.20' }, { ip: '10.1.0.21' }],
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
      }],
    };
    expect(cells('', 'endpoints', ep)).toEqual(['kube-dns', '10.1.0.20:53,10.1.0.21:53,10.1.0.20:53 + 3 more...', '4d']);
  });

  it('short lists, headless without ports, IPv6 and empty', () => {
    const one: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }] };
    expect(cells('', 'endpoints', one)[1]).toBe('10.244.1.5:8080');
    const headless: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.6' }] }] };
    expect(cells('', 'endpoints', headless)[1]).toBe('10.244.1.5,10.244.2.6');
    const v6: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta, subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] };
    expect(cells('', 'endpoints', v6)[1]).toBe('[fd00::1]:80');
    expect(cells('', 'endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: meta })[1]).toBe('<none>');
  });
});

describe('endpointslices table', () => {
  it('has the real columns', () => {
    expect(headers('discovery.k8s.io', 'endpointslices').wide).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
  });

  it('ports and endpoints, with "+ N more..." and <unset>', () => {
    const slice: KObject = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc12', creationTimestamp: ago(DAY) },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'named' }, {}],
      endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.1.6'] }, { addresses: ['10.244.2.7'] }, { addresses: ['10.244.2.8'] }, { addresses: ['10.244.3.9'] }],
    };
    expect(cells('discovery.k8s.io', 'endpointslices', slice)).toEqual(['web-abc12', 'IPv4', '80,named,*', '10.244.1.5,10.244.1.6,10.244.2.7 + 2 more...', '24h']);
    const empty: KObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e', creationTimestamp: ago(DAY) }, addressType: 'IPv4', endpoints: [] };
    expect(cells('discovery.k8s.io', 'endpointslices', empty).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});
