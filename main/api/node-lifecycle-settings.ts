// A cluster's node-lifecycle timings: how long a node may stay silent before it is NotReady (kube-controller-manager's
// --node-monitor-grace-period) and how long pods stay on a not-ready or unreachable node before they are evicted
// (kube-apiserver's --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds, which the
// DefaultTolerationSeconds admission writes into every pod). Shared by the core, the CLI and the UI.

export interface NodeLifecycleSettings {
  /** Seconds a node's Lease may go unrenewed before its Ready condition goes Unknown. */
  nodeMonitorGracePeriodSeconds: number;
  /** tolerationSeconds of the node.kubernetes.io/not-ready:NoExecute toleration added to pods. */
  notReadyTolerationSeconds: number;
  /** tolerationSeconds of the node.kubernetes.io/unreachable:NoExecute toleration added to pods. */
  unreachableTolerationSeconds: number;
}

/** Kubernetes' defaults: 40 s grace, 300 s tolerations. */
export const KUBERNETES_NODE_LIFECYCLE: Readonly<NodeLifecycleSettings> = {
  nodeMonitorGracePeriodSeconds: 40,
  notReadyTolerationSeconds: 300,
  unreachableTolerationSeconds: 300,
};

/** The settings in force: the given ones over Kubernetes' defaults. */
export function nodeLifecycleSettings(given: Partial<NodeLifecycleSettings> = {}): NodeLifecycleSettings {
  const pick = (k: keyof NodeLifecycleSettings): number => given[k] ?? KUBERNETES_NODE_LIFECYCLE[k];
  return {
    nodeMonitorGracePeriodSeconds: pick('nodeMonitorGracePeriodSeconds'),
    notReadyTolerationSeconds: pick('notReadyTolerationSeconds'),
    unreachableTolerationSeconds: pick('unreachableTolerationSeconds'),
  };
}
