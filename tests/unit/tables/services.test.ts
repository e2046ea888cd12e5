import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { DAY, ago, cells, headers, row } from './fixtures';

function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(4 * DAY + 21 * 3_600_000) }, spec, status };
}

describe('services table', () => {
  it('has the real columns', () => {
    expect(headers('', 'services')).toEqual({
      normal: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      wide: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
    });
  });

  it('ClusterIP with several ports (kube-dns)', () => {
    const s = svc({
      type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
    });
    expect(cells('', 'services', s)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '4d21h', 'k8s-app=kube-dns']);
  });

  it('NodePort', () => {
    const s = svc({ type: 'NodePort', clusterIP: '10.96.12.34', ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } });
    const r = row('', 'services', s);
    expect([r.TYPE, r['CLUSTER-IP'], r['EXTERNAL-IP'], r['PORT(S)'], r.SELECTOR]).toEqual(['NodePort', '10.96.12.34', '<none>', '80:30080/TCP', 'app=web,tier=fe']);
  });

  it('headless, no selector, no ports', () => {
    const r = row('', 'services', svc({ type: 'ClusterIP', clusterIP: 'None' }));
    expect([r['CLUSTER-IP'], r['PORT(S)'], r.SELECTOR]).toEqual(['None', '<none>', '<none>']);
  });

  it('external IPs, load balancers and ExternalName', () => {
    expect(row('', 'services', svc({ type: 'ClusterIP', clusterIP: '10.96.0.5', externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ port: 80, protocol: 'TCP' }] }))['EXTERNAL-IP']).toBe('192.0.2.1,192.0.2.2');
    expect(row('', 'services', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.6', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }))['EXTERNAL-IP']).toBe('<pending>');
    expect(row('', 'services', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.6' }, { loadBalancer: { ingress: [{ ip: '198.51.100.7' }] } }))['EXTERNAL-IP']).toBe('198.51.100.7');
    const ext = row('', 'services', svc({ type: 'ExternalName', externalName: 'db.example.com' }));
    expect([ext['CLUSTER-IP'], ext['EXTERNAL-IP']]).toEqual(['<none>', 'db.example.com']);
  });

  it('an unset type and protocol read as their defaults', () => {
    const r = row('', 'services', svc({ clusterIP: '10.96.0.7', ports: [{ port: 8080 }] }));
    expect([r.TYPE, r['EXTERNAL-IP'], r['PORT(S)']]).toEqual(['ClusterIP', '<none>', '8080/TCP']);
  });
});
