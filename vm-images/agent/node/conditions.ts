// The node's conditions with the kubelet's types, reasons and messages (pkg/kubelet/nodestatus/setters.go),
// computed from measured numbers. Pure: the reporter supplies the numbers and the previous conditions.
import type { NodeCondition } from '../../../main/api/types';

export interface NodeHealth {
  /** Memory available to pods (MemAvailable, or the node cgroup's limit minus its working set). */
  memoryAvailableBytes: number;
  /** Free share of the node's filesystem (0..1). */
  diskAvailableRatio: number;
  /** Free share of the PID space (0..1). */
  pidAvailableRatio: number;
  runtimeReady: boolean;
  runtimeError?: string;
  /** The CNI config for the node's podCIDR is written. */
  networkReady: boolean;
}

/** The kubelet's default hard eviction thresholds (memory.available<100Mi, nodefs.available<10%), and 10% of PIDs. */
export const THRESHOLDS = { memoryAvailableBytes: 100 * 2 ** 20, diskAvailableRatio: 0.1, pidAvailableRatio: 0.1 };

export const NETWORK_NOT_READY = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

interface Want { type: string; status: 'True' | 'False'; reason: string; message: string }

function pressure(type: string, on: boolean, yes: [string, string], no: [string, string]): Want {
  const [reason, message] = on ? yes : no;
  return { type, status: on ? 'True' : 'False', reason, message };
}

export function desiredConditions(h: NodeHealth): Want[] {
  const errs: string[] = [];
  if (!h.runtimeReady) errs.push(`container runtime is down${h.runtimeError ? `: ${h.runtimeError}` : ''}`);
  if (!h.networkReady) errs.push(NETWORK_NOT_READY);
  return [
    h.networkReady
      ? { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'Flotilla agent configured the pod network' }
      : { type: 'NetworkUnavailable', status: 'True', reason: 'NoRouteCreated', message: 'Flotilla agent is waiting for the node\'s podCIDR' },
    pressure('MemoryPressure', h.memoryAvailableBytes < THRESHOLDS.memoryAvailableBytes,
      ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available']),
    pressure('DiskPressure', h.diskAvailableRatio < THRESHOLDS.diskAvailableRatio,
      ['KubeletHasDiskPressure', 'kubelet has disk pressure'], ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure']),
    pressure('PIDPressure', h.pidAvailableRatio < THRESHOLDS.pidAvailableRatio,
      ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], ['KubeletHasSufficientPID', 'kubelet has sufficient PID available']),
    errs.length === 0
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: errs.length === 1 ? errs[0] : `[${errs.join(', ')}]` },
  ];
}

/** Conditions with heartbeat `now`; lastTransitionTime carries over from `previous` while the status holds. */
export function nodeConditions(h: NodeHealth, previous: NodeCondition[] | undefined, now: string): NodeCondition[] {
  return desiredConditions(h).map((w) => {
    const before = previous?.find((c) => c.type === w.type);
    return {
      type: w.type, status: w.status, lastHeartbeatTime: now,
      lastTransitionTime: before && before.status === w.status && before.lastTransitionTime ? before.lastTransitionTime : now,
      reason: w.reason, message: w.message,
    };
  });
}
