// What the host already uses that a new sandbox network must not: link names (bridges, veths),
// IPv4 subnets (addresses and routes), and name prefixes of network namespaces and cgroups
// (another data dir's nodes, running or left behind, or anything else on the machine).
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hierarchies } from './cgroup';

export interface HostNetworkUse {
  links: Set<string>;
  /** True when an address or route of the host lies in (or covers) the /24. */
  subnetUsed(subnet: string): boolean;
  /** True when a netns or cgroup is named `<prefix>-…`. */
  prefixUsed(prefix: string): boolean;
}

function run(args: string[]): string {
  try { return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return ''; }
}

function listDir(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** [first, last] addresses of a CIDR (a bare address is a /32). */
function range(cidr: string): [number, number] | undefined {
  const [ip, bitsText] = cidr.split('/');
  if (!ip || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return undefined;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const size = 2 ** (32 - bits);
  const start = Math.floor(toInt(ip) / size) * size;
  return [start, start + size - 1];
}

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'anycast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat']);

export function hostNetworkUse(): HostNetworkUse {
  // Links and network namespaces as `ip link show` and `ip netns list` find them (sysfs, iproute2's /run/netns): no process.
  const links = new Set(listDir('/sys/class/net'));
  const ranges: Array<[number, number]> = [];
  // The host's addresses, and their networks down to /16. A broader network or route (a LAN's or a
  // VPN's 10.0.0.0/8) is only shadowed on this host by a more specific /24, as it always was.
  for (const l of run(['-4', '-o', 'addr', 'show']).split('\n')) {
    const cidr = /\binet (\S+)/.exec(l)?.[1] ?? '';
    const [ip, bits] = cidr.split('/');
    const r = ip ? range(Number(bits) >= 16 ? cidr : ip) : undefined;
    if (r) ranges.push(r);
  }
  for (const l of run(['-4', 'route', 'show', 'table', 'all']).split('\n')) {
    const words = l.trim().split(/\s+/);
    const dest = (ROUTE_TYPES.has(words[0] ?? '') ? words[1] : words[0]) ?? '';
    const bits = dest.includes('/') ? Number(dest.split('/')[1]) : 32;
    const r = dest === 'default' || bits < 16 ? undefined : range(dest);
    if (r) ranges.push(r);
  }
  const names = listDir('/run/netns');
  for (const h of hierarchies()) {
    try { names.push(...fs.readdirSync(h, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)); } catch { /* raced */ }
  }
  return {
    links,
    subnetUsed: (subnet) => {
      const s = range(subnet);
      return !!s && ranges.some(([a, b]) => a <= s[1] && s[0] <= b);
    },
    prefixUsed: (prefix) => names.some((n) => n.startsWith(`${prefix}-`)),
  };
}
