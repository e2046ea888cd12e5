// The status a hollow kubelet reports for a pod it "runs": Running, an IP from the node's
// podCIDR, every condition true, each container running and ready.
import type { Pod, PodStatus } from '../api/types';

function ts(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function hex(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

export function runningStatus(pod: Pod, podIP: string, hostIP: string, ready: boolean): PodStatus {
  const now = ts();
  const cond = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastProbeTime: null as unknown as string, lastTransitionTime: now });
  return {
    phase: 'Running',
    hostIP, hostIPs: [{ ip: hostIP }],
    podIP, podIPs: [{ ip: podIP }],
    startTime: pod.status?.startTime ?? now,
    qosClass: pod.status?.qosClass,
    conditions: [
      cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true),
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name, image: c.image ?? '', imageID: `${c.image ?? ''}@sha256:${hex(64)}`, containerID: `containerd://${hex(64)}`,
      ready, started: true, restartCount: 0, state: { running: { startedAt: now } },
    })),
  };
}

/** The status after a readiness flip. */
export function withReadiness(status: PodStatus, ready: boolean): PodStatus {
  const now = ts();
  return {
    ...status,
    conditions: (status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady') && (c.status === 'True') !== ready
      ? { ...c, status: ready ? 'True' : 'False', lastTransitionTime: now } : c),
    containerStatuses: (status.containerStatuses ?? []).map((c) => ({ ...c, ready })),
  };
}
