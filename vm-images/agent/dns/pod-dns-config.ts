// A pod's resolver configuration (the CRI sandbox's dns_config, written by the runtime as the pod's
// /etc/resolv.conf), as the kubelet forms it (pkg/kubelet/network/dns GetPodDNS): ClusterFirst (the
// default; a host-network pod falls back to Default) and ClusterFirstWithHostNet get the cluster DNS
// server, the search path <ns>.svc.<zone> svc.<zone> <zone> followed by the node's own search
// domains, and ndots:5; Default gets the node's resolv.conf; None starts empty. spec.dnsConfig is
// then appended (duplicates dropped, options merged by name), and the result cut to the limits
// (3 nameservers; 32 search domains of at most 253 characters, 2048 in all).
import type { Pod } from 'kubernetes-types/core/v1';
import type { ResolvConf } from './resolv-conf';

export interface DnsConfig { servers: string[]; searches: string[]; options: string[] }

export interface PodDnsSettings {
  /** The cluster DNS servers (empty: ClusterFirst falls back to Default, as a kubelet without clusterDNS). */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's resolv.conf as read, or undefined when the kubelet is configured without one. */
  host?: ResolvConf;
}

export const MAX_NAMESERVERS = 3;
export const MAX_SEARCH_PATHS = 32;
export const MAX_SEARCH_CHARS = 2048;
const MAX_DOMAIN = 253;

const unique = (list: string[]): string[] => [...new Set(list)];

type Kind = 'cluster' | 'host' | 'none';

function kindOf(pod: Pod): Kind {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None': return 'none';
    case 'ClusterFirstWithHostNet': return 'cluster';
    case 'Default': return 'host';
    default: return pod.spec?.hostNetwork ? 'host' : 'cluster';
  }
}

/** kubelet mergeDNSOptions: by name, later values win, order of first appearance kept. */
export function mergeOptions(existing: string[], extra: Array<{ name?: string; value?: string }>): string[] {
  const m = new Map<string, string>();
  for (const o of existing) {
    const i = o.indexOf(':');
    if (i >= 0) m.set(o.slice(0, i), o.slice(i + 1));
    else m.set(o, '');
  }
  for (const o of extra) m.set(o.name ?? '', o.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

function fitSearches(searches: string[]): string[] {
  let out = searches.slice(0, MAX_SEARCH_PATHS).filter((s) => s.length <= MAX_DOMAIN);
  while (out.length && out.join(' ').length > MAX_SEARCH_CHARS) out = out.slice(0, -1);
  return out;
}

export function podDnsConfig(pod: Pod, s: PodDnsSettings): DnsConfig {
  const host = s.host;
  let cfg: DnsConfig = { servers: [...(host?.nameservers ?? [])], searches: [...(host?.searches ?? [])], options: [...(host?.options ?? [])] };
  const kind = kindOf(pod);
  if (kind === 'none') cfg = { servers: [], searches: [], options: [] };
  else if (kind === 'cluster' && s.clusterDNS.length) {
    const ns = pod.metadata?.namespace ?? 'default';
    const d = s.clusterDomain;
    cfg = { servers: [...s.clusterDNS], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...cfg.searches]), options: ['ndots:5'] };
  } else if (!host) {
    cfg = { servers: ['127.0.0.1'], searches: ['.'], options: [] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    cfg = {
      servers: unique([...cfg.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, extra.options ?? []),
    };
  }
  return { servers: cfg.servers.slice(0, MAX_NAMESERVERS), searches: fitSearches(cfg.searches), options: cfg.options };
}
