// Small API objects for renderer tests.
import type { KObject } from '../../../main/api/types';
import type { NodeObj } from '../../../renderer/src/stores/nodes';
import type { PodObj } from '../../../renderer/src/stores/pods';
import type { MachineObj } from '../../../renderer/src/stores/machines';

export function node(name: string, ready: 'True' | 'False' | 'Unknown' = 'True', extra: Partial<NodeObj> = {}): NodeObj {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady' }],
      nodeInfo: { kubeletVersion: 'v1.32.0' } as NonNullable<NodeObj['status']>['nodeInfo'],
    },
    ...extra,
  };
}

export function pod(name: string, nodeName: string | undefined, phase: string, ready = phase === 'Running'): PodObj {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName, containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

export function machine(name: string, phase: string, status: Record<string, unknown> = {}): MachineObj {
  return {
    apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { provider: 'sandbox', cpus: 2, memoryMiB: 2048, diskGiB: 10 },
    status: { phase, ...status },
  } as MachineObj;
}

export type { KObject };
