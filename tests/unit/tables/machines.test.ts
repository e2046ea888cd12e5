import { describe, expect, it } from 'vitest';
import type { KObject, Machine } from '../../../main/api/types';
import { MIN, ago, cells, headers } from './fixtures';

describe('machines table', () => {
  it('has the flotilla columns', () => {
    expect(headers('flotilla.dev', 'machines')).toEqual({
      normal: ['NAME', 'PROVIDER', 'PHASE', 'NODE', 'CPUS', 'MEMORY', 'AGE'],
      wide: ['NAME', 'PROVIDER', 'PHASE', 'NODE', 'CPUS', 'MEMORY', 'AGE', 'MESSAGE', 'IP'],
    });
  });

  it('running and provisioning machines', () => {
    const running: Machine = {
      apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'node-1', creationTimestamp: ago(12 * MIN) },
      spec: { provider: 'sandbox', cpus: 2, memoryMiB: 2048 },
      status: { phase: 'Running', nodeName: 'node-1', message: 'node is Ready', addresses: [{ type: 'SSH', address: '127.0.0.1' }, { type: 'InternalIP', address: '10.251.0.11' }] },
    };
    expect(cells('flotilla.dev', 'machines', running as KObject)).toEqual(['node-1', 'sandbox', 'Running', 'node-1', 2, '2048Mi', '12m', 'node is Ready', '10.251.0.11']);
    const fresh: Machine = { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'node-2', creationTimestamp: ago(5_000) }, spec: { provider: 'lima' } };
    expect(cells('flotilla.dev', 'machines', fresh as KObject)).toEqual(['node-2', 'lima', 'Pending', '<none>', '<unset>', '<unset>', '5s', '', '<none>']);
  });
});
