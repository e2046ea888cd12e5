import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { DAY, HOUR, ago, cells, headers } from './fixtures';

describe('namespaces, configmaps, secrets, leases', () => {
  it('namespaces: NAME STATUS AGE', () => {
    expect(headers('', 'namespaces').wide).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(cells('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', creationTimestamp: ago(10 * DAY) }, status: { phase: 'Active' } }))
      .toEqual(['kube-system', 'Active', '10d']);
    const terminating: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', creationTimestamp: ago(HOUR) }, status: { phase: 'Terminating' } };
    expect(cells('', 'namespaces', terminating)).toEqual(['old', 'Terminating', '60m']);
  });

  it('configmaps: NAME DATA AGE, counting data and binaryData', () => {
    expect(headers('', 'configmaps').wide).toEqual(['NAME', 'DATA', 'AGE']);
    const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', creationTimestamp: ago(4 * DAY + 21 * HOUR) }, data: { Corefile: '.:53 {}' }, binaryData: { blob: 'AAEC' } };
    expect(cells('', 'configmaps', cm)).toEqual(['coredns', 2, '4d21h']);
    expect(cells('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', creationTimestamp: ago(30_000) } })).toEqual(['empty', 0, '30s']);
  });

  it('secrets: NAME TYPE DATA AGE', () => {
    expect(headers('', 'secrets').wide).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    const s: KObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', creationTimestamp: ago(3 * DAY) }, type: 'Opaque', data: { user: 'YQ==', password: 'Yg==' } };
    expect(cells('', 'secrets', s)).toEqual(['db', 'Opaque', 2, '3d']);
    const tls: KObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', creationTimestamp: ago(3 * DAY) }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } };
    expect(cells('', 'secrets', tls)).toEqual(['tls', 'kubernetes.io/tls', 2, '3d']);
  });

  it('leases: NAME HOLDER AGE', () => {
    expect(headers('coordination.k8s.io', 'leases').wide).toEqual(['NAME', 'HOLDER', 'AGE']);
    const l: KObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: ago(2 * DAY) }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } };
    expect(cells('coordination.k8s.io', 'leases', l)).toEqual(['node-1', 'node-1', '2d']);
    expect(cells('coordination.k8s.io', 'leases', { ...l, spec: {} })).toEqual(['node-1', '', '2d']);
  });
});
