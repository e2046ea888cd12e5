// The host's own address on a VM's network, for a Multipass node's host.flotilla.internal and built-in registry: the
// address of the host interface whose subnet holds the VM's (the snap's bridge mpqemubr0 on Linux, vmnet's bridge100 on
// macOS, the Default Switch on Windows). The host owns it, so the registry can listen there; nothing is guessed from the
// VM's address (Linux's default subnet is a /24 in 1.16 and 10.97.0.0/16 after it).
import { BlockList, isIPv4 } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export type HostInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** The host's IPv4 address on the network vmIP is in; undefined when no host interface is on it. */
export function hostAddressOn(vmIP: string | undefined, interfaces: HostInterfaces = networkInterfaces()): string | undefined {
  if (!vmIP || !isIPv4(vmIP)) return undefined;
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal || !a.cidr || a.address === vmIP) continue;
      const [base, bits] = a.cidr.split('/');
      const net = new BlockList();
      net.addSubnet(base, Number(bits), 'ipv4');
      if (net.check(vmIP, 'ipv4')) return a.address;
    }
  }
  return undefined;
}
