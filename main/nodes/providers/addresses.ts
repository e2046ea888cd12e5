// Telling a VM's own address apart from the ones a node adds: its pod bridge (cni0) carries an
// address in the cluster CIDR, which must never be taken for the node's address.
import { BlockList } from 'node:net';
import { CLUSTER_CIDR } from '../node-paths';

const pods = new BlockList();
pods.addSubnet(CLUSTER_CIDR.split('/')[0], Number(CLUSTER_CIDR.split('/')[1]), 'ipv4');

/** True for an IPv4 address in the cluster's pod network. */
export function isPodAddress(ip: string): boolean {
  return pods.check(ip, 'ipv4');
}
