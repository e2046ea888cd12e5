// Parsing what multipass prints: `multipass info --format json` and `multipass list --format json`
// (src/client/cli/formatter/json_formatter.cpp; the development line after 1.16 adds "zone" to both,
// which nothing here needs). Fixture sources: tests/fixtures/providers/README.md.
import { isIPv4 } from 'node:net';
import { isPodAddress } from './addresses';

export interface MultipassInstance {
  name: string;
  /** Running | Stopped | Starting | Restarting | Delayed Shutdown | Suspending | Suspended | Deleted | Unknown */
  state: string;
  /** As multipass lists them: the management address first when the daemon knows it, then every other global address in the guest. */
  ipv4: string[];
  release: string;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Normalises multipass's state words (older releases print RUNNING). */
export function normaliseState(s: string): string {
  const lower = s.toLowerCase();
  return lower ? lower[0].toUpperCase() + lower.slice(1) : 'Unknown';
}

/** `multipass info --format json [NAME]` → {"errors":[],"info":{"NAME":{state, ipv4, release, …}}} */
export function parseMultipassInfo(text: string): { instances: MultipassInstance[]; errors: string[] } {
  const root = obj(JSON.parse(text));
  const info = obj(root?.info) ?? {};
  const errors = Array.isArray(root?.errors) ? (root?.errors as unknown[]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
  const instances = Object.entries(info).map(([name, v]) => {
    const o = obj(v) ?? {};
    return {
      name, state: normaliseState(typeof o.state === 'string' ? o.state : ''), ipv4: strings(o.ipv4),
      release: typeof o.release === 'string' ? o.release : typeof o.image_release === 'string' ? o.image_release : '',
    };
  });
  return { instances, errors };
}

/** `multipass list --format json` → {"list":[{"ipv4":[…],"name","release","state"}]} */
export function parseMultipassList(text: string): MultipassInstance[] {
  const root = obj(JSON.parse(text));
  const list = Array.isArray(root?.list) ? root.list as unknown[] : [];
  return list.map((v) => obj(v) ?? {}).filter((o) => typeof o.name === 'string').map((o) => ({
    name: o.name as string, state: normaliseState(typeof o.state === 'string' ? o.state : ''), ipv4: strings(o.ipv4),
    release: typeof o.release === 'string' ? o.release : '',
  }));
}

/**
 * The address to reach the node at and to give it as its InternalIP. Multipass puts the management
 * address first only when it knows it; otherwise the list is every global address in the guest
 * (`ip -brief -family inet address show scope global`), which on a node includes its pod bridge
 * cni0 in the cluster CIDR, and "N/A" when there is none. So: the first real IPv4 address outside
 * the cluster CIDR.
 */
export function managementIPv4(ipv4: string[], clusterCIDR?: string): string | undefined {
  return ipv4.find((a) => isIPv4(a) && !isPodAddress(a, clusterCIDR));
}
