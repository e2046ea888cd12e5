import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { DAY, HOUR, ago, cells, headers, row } from './fixtures';

function node(labels: Record<string, string>, conditions: Array<Record<string, string>>, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels, creationTimestamp: ago(4 * DAY + 21 * HOUR) },
    spec: { podCIDR: '10.244.1.0/24', ...extra },
    status: {
      conditions,
      addresses: [{ type: 'InternalIP', address: '10.251.0.11' }, { type: 'Hostname', address: 'node-1' }],
      nodeInfo: {
        kubeletVersion: 'v1.32.0-flotilla', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64',
        containerRuntimeVersion: 'containerd://1.6.20', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
        machineID: '', systemUUID: '', bootID: '',
      },
    },
  };
}
const cond = (type: string, status: string) => ({ type, status });

describe('nodes table', () => {
  it('has the real columns', () => {
    expect(headers('', 'nodes')).toEqual({
      normal: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      wide: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    });
  });

  it('ready worker', () => {
    expect(cells('', 'nodes', node({}, [cond('MemoryPressure', 'False'), cond('Ready', 'True')]))).toEqual([
      'node-1', 'Ready', '<none>', '4d21h', 'v1.32.0-flotilla',
      '10.251.0.11', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.6.20',
    ]);
  });

  it('NotReady, Unknown, and cordoned', () => {
    expect(row('', 'nodes', node({}, [cond('Ready', 'False')])).STATUS).toBe('NotReady');
    expect(row('', 'nodes', node({}, [cond('Ready', 'Unknown')])).STATUS).toBe('NotReady');
    expect(row('', 'nodes', node({}, [])).STATUS).toBe('Unknown');
    expect(row('', 'nodes', node({}, [cond('Ready', 'True')], { unschedulable: true })).STATUS).toBe('Ready,SchedulingDisabled');
    expect(row('', 'nodes', node({}, [], { unschedulable: true })).STATUS).toBe('Unknown,SchedulingDisabled');
  });

  it('roles from node-role labels and kubernetes.io/role, sorted', () => {
    const labels = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': '' };
    expect(row('', 'nodes', node(labels, [cond('Ready', 'True')])).ROLES).toBe('control-plane,edge,worker');
  });

  it('missing node info shows <unknown> in the wide columns', () => {
    const n = node({}, [cond('Ready', 'True')]);
    (n.status as Record<string, unknown>).nodeInfo = undefined;
    (n.status as Record<string, unknown>).addresses = [{ type: 'ExternalIP', address: '203.0.113.9' }];
    const r = row('', 'nodes', n);
    expect([r.VERSION, r['INTERNAL-IP'], r['EXTERNAL-IP'], r['OS-IMAGE'], r['KERNEL-VERSION'], r['CONTAINER-RUNTIME']])
      .toEqual(['', '<none>', '203.0.113.9', '<unknown>', '<unknown>', '<unknown>']);
  });
});
