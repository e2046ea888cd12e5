// Which routes the host needs to reach a sandbox cluster from outside it: each node's podCIDR via that node, and
// the service CIDR and the load balancer pool via one Ready node (the first by name), whose proxier DNATs what
// arrives. A LoadBalancer address of an externalTrafficPolicy Local Service goes (as a /32) to a node whose health
// check port says it has local endpoints, like a cloud load balancer picks its backends. Pure.
import type { Node } from '../api/types';

export interface HostRoute {
  /** CIDR, e.g. 10.244.1.0/24 or 10.250.0.7/32. */
  dest: string;
  /** A node's InternalIP. */
  via: string;
}

export interface RoutedNode {
  name: string;
  ip: string;
  podCIDR?: string;
  ready: boolean;
}

export interface HostRouteInputs {
  nodes: RoutedNode[];
  serviceCIDR: string;
  loadBalancerPool: string;
  /** externalTrafficPolicy Local load balancer addresses → the nodes (by name) whose health check passed. */
  localBackends?: Map<string, string[]>;
}

export function internalIP(n: Node): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function isReady(n: Node): boolean {
  return !!n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The Node as the planner sees it; undefined without an InternalIP. */
export function routedNode(n: Node): RoutedNode | undefined {
  const ip = internalIP(n);
  const name = n.metadata?.name;
  if (!ip || !name) return undefined;
  return { name, ip, podCIDR: n.spec?.podCIDR, ready: isReady(n) };
}

export function planHostRoutes(i: HostRouteInputs): HostRoute[] {
  const nodes = [...i.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: HostRoute[] = [];
  for (const n of nodes) if (n.podCIDR) out.push({ dest: n.podCIDR, via: n.ip });
  const entry = nodes.find((n) => n.ready);
  if (!entry) return out;
  out.push({ dest: i.serviceCIDR, via: entry.ip }, { dest: i.loadBalancerPool, via: entry.ip });
  for (const [ip, backends] of [...(i.localBackends ?? new Map<string, string[]>())].sort()) {
    const backend = nodes.find((n) => n.ready && backends.includes(n.name));
    if (backend) out.push({ dest: `${ip}/32`, via: backend.ip });
  }
  return out;
}
