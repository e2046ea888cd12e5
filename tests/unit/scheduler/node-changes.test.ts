// Which Node updates move parked pods (kube-scheduler's nodeSchedulingPropertiesChange).
import { describe, expect, it } from 'vitest';
import type { Node } from '../../../main/api/types';
import { nodeSchedulingPropertiesChanged } from '../../../main/scheduler/node-changes';

const base = (): Node => ({
  metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
  spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
  status: {
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: '2026-12-06T00:00:00Z', lastTransitionTime: '2026-12-06T00:00:00Z' }],
    images: [{ names: ['docker.io/flotilla/pause:1'], sizeBytes: 1 }],
  },
});

describe('node scheduling properties', () => {
  it('a heartbeat, new images or addresses change nothing the scheduler filters by', () => {
    const next = base();
    next.status!.conditions![0].lastHeartbeatTime = '2026-12-06T00:00:10Z';
    next.status!.images = [...next.status!.images!, { names: ['docker.io/flotilla/hello:1'], sizeBytes: 2 }];
    next.status!.addresses = [{ type: 'InternalIP', address: '10.0.0.2' }];
    expect(nodeSchedulingPropertiesChanged(base(), next)).toBe(false);
  });

  it('taints, a condition\'s status, labels, allocatable, annotations and unschedulable do', () => {
    const changes: Array<(n: Node) => void> = [
      (n) => { n.spec!.taints = []; },
      (n) => { n.status!.conditions![0].status = 'True'; },
      (n) => { n.metadata!.labels = { ...n.metadata!.labels, zone: 'a' }; },
      (n) => { n.status!.allocatable = { ...n.status!.allocatable, cpu: '8' }; },
      (n) => { n.metadata!.annotations = { note: 'x' }; },
      (n) => { n.spec!.unschedulable = true; },
    ];
    for (const change of changes) {
      const next = base();
      change(next);
      expect(nodeSchedulingPropertiesChanged(base(), next)).toBe(true);
    }
  });
});
