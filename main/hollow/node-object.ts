// The Node and Lease objects a hollow kubelet registers and renews.
import type { Lease, Node, NodeCondition } from '../api/types';

export interface HollowResources {
  cpu: string;
  memory: string;
  pods: number;
}

export function microTime(d = new Date()): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export function nodeConditions(now: string): NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): NodeCondition =>
    ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeObject(name: string, index: number, res: HollowResources, now: string): Node {
  const capacity = { cpu: res.cpu, memory: res.memory, pods: String(res.pods), 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: {},
    status: {
      capacity, allocatable: { ...capacity },
      conditions: nodeConditions(now),
      addresses: [{ type: 'InternalIP', address: `10.250.${(index >> 8) & 255}.${index & 255}` }, { type: 'Hostname', address: name }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '', systemUUID: '', bootID: '', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.32.0', kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

export function leaseObject(node: Node, durationSeconds: number): Lease {
  const name = node.metadata?.name ?? '';
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: {
      name, namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata?.uid ?? '' }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: durationSeconds, renewTime: microTime() },
  };
}
