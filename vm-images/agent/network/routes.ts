// host-gw pod routing: a route to every other node's podCIDR via that node's InternalIP. Our routes
// carry their own `proto` number, so we only ever replace or remove routes we made, and only
// inside the cluster's pod network.
import type { Node } from '../../../main/api/types';
import { DEFAULT_CLUSTER_CIDR } from '../../../main/api/cluster-cidr';
import { run, type Exec } from '../proxy/exec';

export const FLOTILLA_ROUTE_PROTO = 200;

export interface PodRoute { cidr: string; via: string }

function ipToInt(ip: string): number | null {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function parseCIDR(cidr: string): { base: number; bits: number } | null {
  const [addr, bitsText] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const base = ipToInt(addr ?? '');
  const bits = Number(bitsText);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return { base, bits };
}

/** True when `inner` (a CIDR) lies entirely within `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCIDR(inner);
  const o = parseCIDR(outer);
  if (!i || !o || i.bits < o.bits) return false;
  const mask = o.bits === 0 ? 0 : (0xffffffff << (32 - o.bits)) >>> 0;
  return ((i.base & mask) >>> 0) === ((o.base & mask) >>> 0);
}

/** Routes to the podCIDRs of every node but `selfName`, via their InternalIP (pure). */
export function podRoutesFromNodes(nodes: Node[], selfName: string): PodRoute[] {
  const routes: PodRoute[] = [];
  for (const n of nodes) {
    if (n.metadata?.name === selfName) continue;
    const cidr = n.spec?.podCIDR;
    const via = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (cidr && via) routes.push({ cidr, via });
  }
  return routes;
}

export interface RouteSyncResult { replaced: string[]; removed: string[] }

interface IpRoute { dst?: unknown; gateway?: unknown }

/**
 * Makes our routes (proto FLOTILLA_ROUTE_PROTO, inside `within`) exactly `routes`: replaces what
 * is missing or different, deletes the rest. Routes of anyone else are never touched.
 */
export async function syncPodRoutes(
  exec: Exec,
  routes: PodRoute[],
  opts: { proto?: number; within?: string } = {},
): Promise<RouteSyncResult> {
  const proto = String(opts.proto ?? FLOTILLA_ROUTE_PROTO);
  const within = opts.within ?? DEFAULT_CLUSTER_CIDR;
  const parsed: unknown = JSON.parse((await run(exec, ['ip', '-j', 'route', 'show', 'proto', proto])) || '[]');
  const current = new Map<string, string>();
  if (Array.isArray(parsed)) {
    for (const r of parsed as IpRoute[]) {
      if (typeof r.dst !== 'string') continue;
      const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
      if (cidrWithin(dst, within)) current.set(dst, typeof r.gateway === 'string' ? r.gateway : '');
    }
  }
  const desired = new Map<string, string>();
  for (const r of routes) if (cidrWithin(r.cidr, within) && ipToInt(r.via) !== null) desired.set(r.cidr, r.via);
  const lines: string[] = [];
  const replaced: string[] = [];
  const removed: string[] = [];
  for (const [cidr, via] of desired) {
    if (current.get(cidr) === via) continue;
    lines.push(`route replace ${cidr} via ${via} proto ${proto}`);
    replaced.push(cidr);
  }
  for (const cidr of current.keys()) {
    if (desired.has(cidr)) continue;
    lines.push(`route del ${cidr} proto ${proto}`);
    removed.push(cidr);
  }
  if (lines.length) await run(exec, ['ip', '-batch', '-'], `${lines.join('\n')}\n`);
  return { replaced, removed };
}
