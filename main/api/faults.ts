// One-click failures (Flotilla's own, not a Kubernetes API): what can be broken on a node or a pod, with the words the UI
// shows and the Event each records. Shared by the node manager (main/nodes/node-faults.ts), the bridge and the UI.

export type NodeFault = 'stop-agent' | 'kill-containerd' | 'cut-control-plane' | 'cut-nodes' | 'fill-disk' | 'kill-node';
export type PodFault = 'kill-container' | 'fail-readiness';

export interface FaultInfo<F extends string> {
  fault: F;
  /** The menu item. */
  label: string;
  /** What Kubernetes does next, in a sentence. */
  expect: string;
}

export const NODE_FAULTS: ReadonlyArray<FaultInfo<NodeFault>> = [
  { fault: 'stop-agent', label: 'Stop kubelet (agent)', expect: 'The Lease stops being renewed: NotReady after the grace period, then taints and evictions. Pods keep running.' },
  { fault: 'kill-containerd', label: 'Kill container runtime', expect: 'The kubelet reports "container runtime is down": Ready=False, not-ready taints, evictions after the toleration.' },
  { fault: 'cut-control-plane', label: 'Cut network from control plane', expect: 'No heartbeats arrive: Ready=Unknown after the grace period, unreachable taints, pods evicted and rescheduled.' },
  { fault: 'cut-nodes', label: 'Cut network from other nodes', expect: 'The node stays Ready, but pods on it cannot reach pods on other nodes (and back).' },
  { fault: 'fill-disk', label: 'Fill disk', expect: 'The kubelet reports DiskPressure (nodefs.available < 10%): a disk-pressure taint keeps new pods away.' },
  { fault: 'kill-node', label: 'Kill node', expect: 'Everything on it stops at once: NotReady after the grace period, pods evicted and rescheduled.' },
];

export const POD_FAULTS: ReadonlyArray<FaultInfo<PodFault>> = [
  { fault: 'kill-container', label: 'Kill container', expect: 'The kubelet restarts it by the restart policy, with back-off (10 s, 20 s, … up to 5 min) after repeated crashes.' },
  { fault: 'fail-readiness', label: 'Fail readiness probe', expect: 'After failureThreshold failed probes the pod turns NotReady: it leaves its Services\' endpoints and kube-proxy stops sending it traffic. It is not restarted. Heal restores.' },
];

/** The pod failures in force (a failed readiness probe stays until healed; a killed container is a moment, not listed). */
export interface PodFaultState {
  namespace: string;
  name: string;
  active: Array<{ fault: PodFault; container: string }>;
}

/** The reason of the Event each failure and each heal records. */
export const FAULT_EVENT_REASON = 'FlotillaFault';
export const HEAL_EVENT_REASON = 'FlotillaFaultHealed';

/** A node's failures in force and whether failures can be caused there at all. */
export interface NodeFaultState {
  node: string;
  /** False for nodes Flotilla does not run as sandbox nodes (other providers, hollow or remote nodes), with why. */
  supported: boolean;
  reason?: string;
  active: NodeFault[];
}

export function nodeFaultLabel(f: NodeFault): string {
  return NODE_FAULTS.find((x) => x.fault === f)?.label ?? f;
}

export function podFaultLabel(f: PodFault): string {
  return POD_FAULTS.find((x) => x.fault === f)?.label ?? f;
}
