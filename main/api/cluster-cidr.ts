// The cluster's pod network (kube-controller-manager's --cluster-cidr) and the node ranges carved from it
// (--node-cidr-mask-size, fixed at /24 here): parsed and checked once, for the core, the CLI, node IPAM, the
// nodes' bootstrap and the agent. IPv4 only, as the rest of the network. Pure.
import { cidrContains, intToIPv4, ipv4ToInt, LOAD_BALANCER_POOL } from './load-balancer';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
/** Each node's podCIDR is a /24 of the cluster CIDR (the kube-controller-manager's default for IPv4). */
export const NODE_CIDR_MASK_SIZE = 24;
/** Ranges a cluster CIDR must stay clear of: the services' and the load balancer pool's (the host may route both), the sandbox nodes'. */
const RESERVED: ReadonlyArray<[string, string]> = [['10.96.0.0/16', 'the service CIDR'], [LOAD_BALANCER_POOL, 'the load balancer pool'], ['10.251.0.0/16', 'the sandbox nodes\' networks']];

export interface ClusterCIDR {
  /** Normalized text, e.g. 10.244.0.0/16. */
  cidr: string;
  /** The network address as an unsigned 32-bit number. */
  base: number;
  bits: number;
}

function overlaps(a: ClusterCIDR, b: ClusterCIDR): boolean {
  const size = (c: ClusterCIDR) => 2 ** (32 - c.bits);
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

function parseBare(text: string): ClusterCIDR | string {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text.trim());
  const base = m ? ipv4ToInt(m[1]) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (!m || base === undefined || bits > 32) return `invalid cluster CIDR "${text}": not an IPv4 CIDR such as ${DEFAULT_CLUSTER_CIDR}`;
  const size = 2 ** (32 - bits);
  const network = Math.floor(base / size) * size;
  if (network !== base) {
    return `invalid cluster CIDR "${text}": host bits are set (the network is ${intToIPv4(network)}/${bits})`;
  }
  return { cidr: `${intToIPv4(base)}/${bits}`, base, bits };
}

/** The cluster CIDR, or an Error whose message says what is wrong with it. */
export function parseClusterCIDR(text: string): ClusterCIDR {
  const c = parseBare(text);
  if (typeof c === 'string') throw new Error(c);
  if (c.bits > NODE_CIDR_MASK_SIZE) {
    throw new Error(`invalid cluster CIDR "${text}": its mask size must be less than or equal to the node CIDR mask size (/${NODE_CIDR_MASK_SIZE}), so that each node gets a /${NODE_CIDR_MASK_SIZE} of it`);
  }
  if (c.bits < 8) throw new Error(`invalid cluster CIDR "${text}": its mask size must be at least /8`);
  for (const [cidr, what] of RESERVED) {
    if (overlaps(c, parseBare(cidr) as ClusterCIDR)) throw new Error(`invalid cluster CIDR "${text}": it overlaps ${what} ${cidr}`);
  }
  return c;
}

/** How many node ranges the cluster CIDR holds. */
export function nodeRangeCount(c: ClusterCIDR): number {
  return 2 ** (NODE_CIDR_MASK_SIZE - c.bits);
}

/** Node range number i (0-based): for 10.244.0.0/16, i = 3 is 10.244.3.0/24. */
export function nodeRange(c: ClusterCIDR, i: number): string {
  return `${intToIPv4(c.base + i * 2 ** (32 - NODE_CIDR_MASK_SIZE))}/${NODE_CIDR_MASK_SIZE}`;
}

/** Which node range of the cluster CIDR a podCIDR is; undefined when it is none of them. */
export function nodeRangeIndex(c: ClusterCIDR, podCIDR: string | undefined): number | undefined {
  const p = podCIDR ? parseBare(podCIDR) : undefined;
  if (!p || typeof p === 'string' || p.bits !== NODE_CIDR_MASK_SIZE || !overlaps(p, c)) return undefined;
  return (p.base - c.base) / 2 ** (32 - NODE_CIDR_MASK_SIZE);
}

/** True for an IPv4 address inside the cluster CIDR. */
export function cidrHolds(c: ClusterCIDR, ip: string): boolean {
  return cidrContains(c.cidr, ip);
}
