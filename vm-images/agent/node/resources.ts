// The agent's names on the API. Resource references come from main/client/refs (R).

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const KUBELET_VERSION = 'v1.32.0-flotilla';
