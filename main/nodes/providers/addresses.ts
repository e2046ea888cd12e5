// Telling a VM's own address apart from the ones a node adds: its pod bridge (cni0) carries an
// address in the cluster CIDR, which must never be taken for the node's address.
import { cidrContains } from '../../api/load-balancer';
import { DEFAULT_CLUSTER_CIDR } from '../../api/cluster-cidr';

/** True for an IPv4 address in the cluster's pod network (the default one unless given). */
export function isPodAddress(ip: string, clusterCIDR: string = DEFAULT_CLUSTER_CIDR): boolean {
  return cidrContains(clusterCIDR, ip);
}
