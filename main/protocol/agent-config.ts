// The node agent's configuration: written by the control plane's bootstrap (over SSH) to the node,
// read by the agent at start. JSON file, default path /etc/flotilla/agent.json.

export interface AgentConfig {
  /** The Node's name. */
  nodeName: string;
  /** The API server as the node reaches it (the SSH reverse tunnel): https://127.0.0.1:6443. */
  apiServer: string;
  /** The node's bearer token for the API (may only touch its own Node, Lease, pods and events). */
  token: string;
  /** PEM of the cluster CA that signed the API server's certificate. */
  caCertPem: string;
  /** The node's InternalIP (its address on the inter-node network). */
  nodeIP: string;
  /** The agent's streaming/metrics server (logs, exec, port-forward, stats): host:port. Default 127.0.0.1:10250. */
  listenAddress: string;
  /** The bearer token the control plane presents to the agent's server; anything else gets 401. */
  serverToken: string;
  /**
   * The kubelet's serving certificate and key (PEM; the cluster CA signed it for the node's name and InternalIP): with
   * them the agent also serves the kubelet's secure port on nodeIP and listenAddress's port, for in-cluster clients
   * (metrics-server, Prometheus) authenticated and authorized through the API server.
   */
  servingCertPem?: string;
  servingKeyPem?: string;
  /** containerd's CRI socket. */
  containerdSocket: string;
  /** Directory for the agent's own state (checkpoints). */
  stateDir: string;
  /** CRI container logs: <logDir>/<ns>_<pod>_<uid>/<container>/<restart>.log */
  logDir: string;
  /** CNI: where the conflist is written, the plugin binaries, and host-local IPAM's data dir. */
  cniConfDir: string;
  cniBinDir: string;
  cniDataDir: string;
  /** The CNI bridge on this node (unique per node on a shared host). */
  bridgeName: string;
  /** All pods' range (the cluster CIDR, 10.244.0.0/16 by default) and the services' range (10.96.0.0/16). */
  clusterCIDR: string;
  serviceCIDR: string;
  /** Parent cgroup for pod cgroups (cgroupfs), e.g. /flotilla-node-1. Empty: containerd's default. */
  cgroupParent: string;
  /** Image tarballs imported into containerd's k8s.io namespace at start (shipped with the node). */
  imageTarballs: string[];
  /** Lease renewal period in seconds (default 10). */
  leaseRenewSeconds?: number;
  /** Node status report period in seconds (default 10). */
  statusReportSeconds?: number;
  /** Crash-loop backoff base and cap in seconds (defaults 10 and 300). */
  backoffBaseSeconds?: number;
  backoffMaxSeconds?: number;
  /** The cluster DNS servers (the kubelet's clusterDNS; default [10.96.0.10], [] for none): pods' nameserver, answered on this node by the agent. */
  clusterDNS?: string[];
  /** The cluster's DNS zone (default cluster.local). */
  clusterDomain?: string;
  /** The node's resolver configuration: upstreams of the cluster DNS, dnsPolicy Default (default /etc/resolv.conf). */
  resolvConf?: string;
  /** The host machine's address as the node reaches it (host.flotilla.internal); default: host.lima.internal's address, else the default gateway. */
  hostAddress?: string;
  /** Labels put on the Node at registration (e.g. flotilla.dev/provider). */
  nodeLabels?: Record<string, string>;
  /** Record pods' journey spans (served at GET /traces/<uid>); on unless false (`flotilla serve --tracing=false`). */
  tracing?: boolean;
}

export const DEFAULT_AGENT_CONFIG_PATH = '/etc/flotilla/agent.json';
