// Facts of Flotilla's own load balancer for `type: LoadBalancer` Services, shared by the control plane (which
// hands out addresses: controllers/service-lb.ts) and the node manager (which routes them from the host to the
// nodes: nodes/host-routes.ts). Pure: no imports.

/** How LoadBalancer Services are reached from the host: an address of the routed pool, or 127.0.0.1:<port>. */
export type LoadBalancerMode = 'pool' | 'localhost';
export const LOAD_BALANCER_MODES: readonly LoadBalancerMode[] = ['pool', 'localhost'];

/** The pool when the host routes to the nodes (sandbox nodes with host routes), else localhost (VMs: Lima, Multipass). */
export function defaultLoadBalancerMode(provider: string, hostRoutes: boolean): LoadBalancerMode {
  return provider === 'sandbox' && hostRoutes ? 'pool' : 'localhost';
}

/** The addresses LoadBalancer Services get (status.loadBalancer.ingress[].ip), one each. */
export const LOAD_BALANCER_POOL = '10.250.0.0/24';

/** The class this load balancer serves besides the default (no spec.loadBalancerClass); any other class is left alone. */
export const FLOTILLA_LOAD_BALANCER_CLASS = 'flotilla.dev/load-balancer';

/** Kubernetes' finalizer of the service controller (v1.LoadBalancerCleanupFinalizer). */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function intToIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** [network, broadcast] of an IPv4 CIDR, or undefined when it is not one. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const [ip, bitsText] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const bits = Number(bitsText);
  if (base === undefined || !/^\d{1,2}$/.test(bitsText ?? '') || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const start = Math.floor(base / size) * size;
  return [start, start + size - 1];
}

export function cidrContains(cidr: string, ip: string): boolean {
  const r = cidrRange(cidr);
  const n = ipv4ToInt(ip);
  return !!r && n !== undefined && n >= r[0] && n <= r[1];
}

/** The usable host addresses of a pool (network and broadcast addresses excluded for pools wider than /31). */
export function poolAddresses(cidr: string): { first: number; last: number } {
  const r = cidrRange(cidr);
  if (!r) throw new Error(`load balancer pool "${cidr}" is not an IPv4 CIDR`);
  return r[1] - r[0] > 1 ? { first: r[0] + 1, last: r[1] - 1 } : { first: r[0], last: r[1] };
}
