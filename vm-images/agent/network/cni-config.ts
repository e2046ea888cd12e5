// The node's CNI network: a bridge (the pods' gateway) with host-local IPAM over the node's
// podCIDR, and portmap for hostPorts.
//
// ipMasq is false on purpose: the bridge plugin's masquerade exempts only the pod's own /24, so
// pod→pod traffic to other nodes (host-gw routes) would be SNATed, and it leaves a CNI-<hash> chain
// per pod. Egress masquerade is the agent's one rule for traffic leaving the cluster CIDR
// (see masquerade.ts). hairpinMode is true so a pod can reach itself through a Service: the
// DNATed packet must go back out the port it came in on (KUBE-SEP-* marks it for masquerade).

export interface CniConfList {
  cniVersion: string;
  name: string;
  plugins: Array<Record<string, unknown>>;
}

export const CNI_NETWORK_NAME = 'flotilla';

/** First usable address of an IPv4 CIDR (the gateway), e.g. 10.244.1.0/24 → 10.244.1.1. */
export function gatewayOf(cidr: string): string {
  const [addr, bits] = cidr.split('/');
  const parts = (addr ?? '').split('.').map(Number);
  const prefix = Number(bits);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255) || !(prefix >= 0 && prefix <= 30)) {
    throw new Error(`not an IPv4 CIDR: ${cidr}`);
  }
  const n = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const gw = ((n & mask) >>> 0) + 1;
  return [gw >>> 24, (gw >>> 16) & 255, (gw >>> 8) & 255, gw & 255].join('.');
}

export function cniConfList(bridgeName: string, podCIDR: string, dataDir: string): CniConfList {
  return {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: bridgeName,
        isGateway: true,
        isDefaultGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podCIDR, gateway: gatewayOf(podCIDR) }]],
          // No `routes`: isDefaultGateway already installs the pod's default route (a second one fails).
          dataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** The conflist file's text (write it as e.g. /etc/cni/net.d/10-flotilla.conflist). */
export function cniConfig(bridgeName: string, podCIDR: string, dataDir: string): string {
  return `${JSON.stringify(cniConfList(bridgeName, podCIDR, dataDir), null, 2)}\n`;
}
