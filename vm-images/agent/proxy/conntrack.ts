// Stale UDP conntrack entries, as kube-proxy clears them after a sync: UDP has no connection to end, so a flow
// DNATed to an endpoint that went away keeps going there until its entry expires, and a flow that hit a service
// while it had no endpoints keeps being rejected. After each sync: entries to removed endpoints are deleted
// (`conntrack -D -p udp --orig-dst <service address> --dst-nat <endpoint>`, `--dport <nodePort>` for the NodePort),
// and a service port that just got its first endpoints loses the entries of its addresses. Uses conntrack(8).
import type { Exec } from './exec';
import type { ProxyModel } from './model';

interface UdpPort {
  /** The ClusterIP, externalIPs and load balancer addresses. */
  addresses: string[];
  port: number;
  nodePort?: number;
  /** Ready endpoint IPs. */
  endpoints: Set<string>;
}

/** UDP service ports by "namespace/name:port-name". */
export function udpPorts(model: ProxyModel): Map<string, UdpPort> {
  const out = new Map<string, UdpPort>();
  for (const svc of model.services) {
    for (const p of svc.ports) {
      if (p.protocol !== 'UDP') continue;
      const endpoints = new Set(svc.endpoints.filter((e) => e.ready && e.ports[p.name] !== undefined).map((e) => e.ip));
      out.set(`${svc.namespace}/${svc.name}:${p.name}`, {
        addresses: [svc.clusterIP, ...(svc.externalIPs ?? []), ...(svc.loadBalancerIPs ?? [])], port: p.port, nodePort: p.nodePort, endpoints,
      });
    }
  }
  return out;
}

/** The conntrack invocations that clear what changed from `before` to `after`. */
export function staleEntryDeletions(before: Map<string, UdpPort>, after: Map<string, UdpPort>): string[][] {
  const out: string[][] = [];
  for (const [key, old] of before) {
    const now = after.get(key);
    for (const ep of old.endpoints) {
      if (now?.endpoints.has(ep)) continue;
      for (const a of old.addresses) out.push(['conntrack', '-D', '-p', 'udp', '--orig-dst', a, '--dst-nat', ep]);
      if (old.nodePort) out.push(['conntrack', '-D', '-p', 'udp', '--dport', String(old.nodePort), '--dst-nat', ep]);
    }
  }
  for (const [key, now] of after) {
    if (now.endpoints.size === 0 || (before.get(key)?.endpoints.size ?? 0) > 0) continue;
    for (const a of now.addresses) out.push(['conntrack', '-D', '-p', 'udp', '--orig-dst', a]);
    if (now.nodePort) out.push(['conntrack', '-D', '-p', 'udp', '--dport', String(now.nodePort)]);
  }
  return out;
}

export class ConntrackCleaner {
  private last = new Map<string, UdpPort>();
  private missing = false;

  constructor(private readonly exec: Exec, private readonly log: (line: string) => void) {}

  private chain: Promise<void> = Promise.resolve();

  /** Call after the rules of `model` are in place (calls run one after another). */
  synced(model: ProxyModel): Promise<void> {
    this.chain = this.chain.catch(() => undefined).then(() => this.clear(model));
    return this.chain;
  }

  /** conntrack exits 1 when nothing matched: that is fine. */
  private async clear(model: ProxyModel): Promise<void> {
    const next = udpPorts(model);
    const deletions = staleEntryDeletions(this.last, next);
    this.last = next;
    for (const argv of deletions) {
      if (this.missing) return;
      const r = await this.exec(argv);
      if (r.code === 127) {
        this.missing = true;
        this.log('conntrack is not installed: stale UDP flows are not cleared (run `npm run setup`)');
      } else if (r.code > 1) {
        this.log(`${argv.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
      }
    }
  }
}
