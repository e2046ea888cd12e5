// Where pods reach the API server: the `kubernetes` Service in `default` at 10.96.0.1:443, whose
// endpoints are the Ready nodes' InternalIPs at NODE_API_PORT, where each node's agent forwards to its
// tunnel to the API server (the node's 127.0.0.1:6443). Shared by the controller that writes the
// Service and its endpoints and by the agent's forwarder.
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const KUBERNETES_SERVICE_PORT = 443;
/** The port of a node's InternalIP on which its agent forwards to the API server. */
export const NODE_API_PORT = 6443;
