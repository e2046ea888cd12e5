// The cluster DNS defaults (the kubelet's clusterDNS and clusterDomain as Flotilla configures them):
// the kube-dns Service's ClusterIP and the cluster's zone.
export const DEFAULT_CLUSTER_DNS = '10.96.0.10';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
