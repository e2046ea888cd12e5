// The proxier's view of the cluster: services reduced to what iptables needs, endpoints already
// filtered to this address family and resolved to numeric target ports. Pure data, no behaviour.

export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortModel {
  /** The service port's name ('' when the service has a single unnamed port). */
  name: string;
  port: number;
  protocol: ServiceProtocol;
  nodePort?: number;
}

export interface EndpointModel {
  ip: string;
  /** Target port per service port name, as resolved by the EndpointSlice (named targetPorts included). */
  ports: Record<string, number>;
  ready: boolean;
  nodeName?: string;
}

export interface ServiceModel {
  namespace: string;
  name: string;
  clusterIP: string;
  ports: ServicePortModel[];
  sessionAffinity: 'None' | 'ClientIP';
  /** ClientIP affinity timeout; Kubernetes' default is 10800 s. */
  affinityTimeoutSeconds: number;
  endpoints: EndpointModel[];
  /** spec.externalIPs: answered like the LoadBalancer addresses (KUBE-EXT), kube-proxy's semantics. */
  externalIPs?: string[];
  /** status.loadBalancer.ingress[].ip whose ipMode is VIP (or unset). */
  loadBalancerIPs?: string[];
  /** Local: external traffic (NodePort, externalIPs, load balancer) only to this node's endpoints, source kept. */
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /** Local: ClusterIP traffic only to this node's endpoints. */
  internalTrafficPolicy?: 'Cluster' | 'Local';
  /** Served by the agent (services/health-check.ts) for externalTrafficPolicy Local LoadBalancers. */
  healthCheckNodePort?: number;
}

export interface ProxyModel {
  services: ServiceModel[];
  nodeIPs: string[];
  /** Pod network of the whole cluster; traffic to a ClusterIP from outside it is masqueraded. */
  clusterCIDR: string;
  /** The node this proxier runs on (an endpoint with the same nodeName is local). */
  nodeName?: string;
}

export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;
