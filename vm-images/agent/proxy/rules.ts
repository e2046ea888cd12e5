// Pure: the proxy model → iptables chains (nat + filter), following kube-proxy's iptables mode
// (pkg/proxy/iptables/proxier.go): KUBE-SERVICES → KUBE-SVC-* (random statistic split) → KUBE-SEP-*
// (DNAT, hairpin mark), KUBE-NODEPORTS → KUBE-EXT-* → KUBE-SVC-*, KUBE-MARK-MASQ / KUBE-POSTROUTING,
// ClientIP affinity with `-m recent`, and REJECT in the filter table for services without endpoints.
import type { ProxyModel, ServiceModel, ServicePortModel } from './model';
import { renderRestore } from './restore-text';
import {
  endpointChainName, externalChainName, probability, serviceChainName, servicePortName,
} from './names';

export type Table = 'filter' | 'nat';

export interface Chain {
  table: Table;
  name: string;
  /** Complete restore lines, each starting with `-A <name>`. */
  rules: string[];
}

export interface RuleSet {
  /** Chains whose content never depends on services (written on full syncs). */
  fixed: Chain[];
  /** KUBE-SERVICES / KUBE-NODEPORTS (nat) and KUBE-SERVICES / KUBE-EXTERNAL-SERVICES (filter): written every sync. */
  top: Chain[];
  /** Per service (`namespace/name`): its KUBE-SVC-, KUBE-EXT- and KUBE-SEP- chains (nat). */
  services: Map<string, Chain[]>;
}

export const MASQ_MARK = '0x4000';
/** Above this many endpoints in total, per-endpoint comments are dropped (kube-proxy's large-cluster mode). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

export function serviceKey(svc: Pick<ServiceModel, 'namespace' | 'name'>): string {
  return `${svc.namespace}/${svc.name}`;
}

/** Double-quotes a comment the way kube-proxy writes them (iptables-restore parses the quotes). */
function comment(text: string): string {
  return `-m comment --comment "${text}"`;
}

function proto(p: ServicePortModel): string {
  const l = p.protocol.toLowerCase();
  return `-m ${l} -p ${l}`;
}

interface ResolvedEndpoint { endpoint: string; ip: string; chain: string }

/** Ready endpoints serving this port, de-duplicated, sorted by "ip:port" like kube-proxy's endpoints map. */
function endpointsFor(svc: ServiceModel, port: ServicePortModel, spn: string): ResolvedEndpoint[] {
  const seen = new Map<string, ResolvedEndpoint>();
  for (const ep of svc.endpoints) {
    const target = ep.ports[port.name];
    if (!ep.ready || target === undefined || target <= 0 || ep.ip === '') continue;
    const endpoint = `${ep.ip}:${target}`;
    if (!seen.has(endpoint)) seen.set(endpoint, { endpoint, ip: ep.ip, chain: endpointChainName(spn, port.protocol, endpoint) });
  }
  return [...seen.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

/** What a service's rendering depends on besides the service itself. */
export interface RenderContext { clusterCIDR: string; largeCluster: boolean }

/** A service's lines in the shared top-level chains. */
export interface TopLines { natServices: string[]; natNodePorts: string[]; filterServices: string[]; filterExternal: string[] }

/** One service rendered: its own nat chains and its lines in the top-level chains. */
export interface ServiceRules { chains: Chain[]; top: TopLines }

function servicePortChains(svc: ServiceModel, port: ServicePortModel, ctx: RenderContext, top: TopLines): Chain[] {
  const spn = servicePortName(svc.namespace, svc.name, port.name);
  const svcChain = serviceChainName(spn, port.protocol);
  const extChain = externalChainName(spn, port.protocol);
  const p = proto(port);
  const eps = endpointsFor(svc, port, spn);
  const dst = `-d ${svc.clusterIP} --dport ${port.port}`;

  if (eps.length === 0) {
    top.filterServices.push(`-A ${KUBE_SERVICES} ${comment(`${spn} has no endpoints`)} ${p} ${dst} -j REJECT`);
    if (port.nodePort) {
      top.filterExternal.push(`-A ${KUBE_EXTERNAL_SERVICES} ${comment(`${spn} has no endpoints`)} -m addrtype --dst-type LOCAL ${p} --dport ${port.nodePort} -j REJECT`);
    }
    return [];
  }

  top.natServices.push(`-A ${KUBE_SERVICES} ${comment(`${spn} cluster IP`)} ${p} ${dst} -j ${svcChain}`);
  const chains: Chain[] = [];

  if (port.nodePort) {
    top.natNodePorts.push(`-A ${KUBE_NODEPORTS} ${comment(spn)} ${p} --dport ${port.nodePort} -j ${extChain}`);
    chains.push({
      table: 'nat', name: extChain, rules: [
        `-A ${extChain} ${comment(`masquerade traffic for ${spn} external destinations`)} -j ${KUBE_MARK_MASQ}`,
        `-A ${extChain} -j ${svcChain}`,
      ],
    });
  }

  // Off-cluster sources (the node itself, other hosts) reaching the ClusterIP are masqueraded.
  const svcRules = [`-A ${svcChain} ${comment(`${spn} cluster IP`)} ${p} ${dst} ! -s ${ctx.clusterCIDR} -j ${KUBE_MARK_MASQ}`];
  const epComment = (ep: ResolvedEndpoint): string => (ctx.largeCluster ? '' : ` ${comment(`${spn} -> ${ep.endpoint}`)}`);
  if (svc.sessionAffinity === 'ClientIP') {
    for (const ep of eps) {
      svcRules.push(`-A ${svcChain}${epComment(ep)} -m recent --name ${ep.chain} --rcheck --seconds ${svc.affinityTimeoutSeconds} --reap -j ${ep.chain}`);
    }
  }
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length - i)}` : '';
    svcRules.push(`-A ${svcChain}${epComment(ep)}${stat} -j ${ep.chain}`);
  });
  chains.push({ table: 'nat', name: svcChain, rules: svcRules });

  for (const ep of eps) {
    const c = ctx.largeCluster ? '' : ` ${comment(spn)}`;
    const affinity = svc.sessionAffinity === 'ClientIP' ? ` -m recent --name ${ep.chain} --set` : '';
    chains.push({
      table: 'nat', name: ep.chain, rules: [
        // Hairpin: a pod reaching itself through the service must be masqueraded to see the reply.
        `-A ${ep.chain}${c} -s ${ep.ip}/32 -j ${KUBE_MARK_MASQ}`,
        `-A ${ep.chain}${c}${affinity} ${p} -j DNAT --to-destination ${ep.endpoint}`,
      ],
    });
  }
  return chains;
}

function fixedChains(): Chain[] {
  const mark = `${MASQ_MARK}/${MASQ_MARK}`;
  return [
    { table: 'nat', name: KUBE_POSTROUTING, rules: [
      `-A ${KUBE_POSTROUTING} -m mark ! --mark ${mark} -j RETURN`,
      // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
      `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${MASQ_MARK}`,
      `-A ${KUBE_POSTROUTING} ${comment('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    ] },
    { table: 'nat', name: KUBE_MARK_MASQ, rules: [`-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${MASQ_MARK}`] },
    { table: 'filter', name: KUBE_FORWARD, rules: [
      `-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`,
      `-A ${KUBE_FORWARD} ${comment('kubernetes forwarding rules')} -m mark --mark ${mark} -j ACCEPT`,
      `-A ${KUBE_FORWARD} ${comment('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    ] },
    // route_localnet=1 (NodePorts on 127.0.0.1) opens https://issue.k8s.io/90259; this closes it.
    { table: 'filter', name: KUBE_FIREWALL, rules: [
      `-A ${KUBE_FIREWALL} ${comment('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    ] },
  ];
}

export function renderContext(model: ProxyModel): RenderContext {
  let totalEndpoints = 0;
  for (const svc of model.services) totalEndpoints += svc.endpoints.length * Math.max(1, svc.ports.length);
  return { clusterCIDR: model.clusterCIDR, largeCluster: totalEndpoints > LARGE_CLUSTER_ENDPOINTS };
}

/** The services that get rules (headless ones have none), in the order their rules are written. */
export function servicesWithRules(model: ProxyModel): ServiceModel[] {
  return model.services
    .filter((svc) => svc.clusterIP && svc.clusterIP !== 'None')
    .sort((a, b) => (serviceKey(a) < serviceKey(b) ? -1 : 1));
}

/** Pure: one service's chains and top-level lines. */
export function renderService(svc: ServiceModel, ctx: RenderContext): ServiceRules {
  const top: TopLines = { natServices: [], natNodePorts: [], filterServices: [], filterExternal: [] };
  return { chains: svc.ports.flatMap((port) => servicePortChains(svc, port, ctx, top)), top };
}

/** Puts rendered services (in write order) together with the fixed and top-level chains. */
export function assembleRules(rendered: Iterable<readonly [string, ServiceRules]>): RuleSet {
  const top: TopLines = { natServices: [], natNodePorts: [], filterServices: [], filterExternal: [] };
  const services = new Map<string, Chain[]>();
  for (const [key, r] of rendered) {
    services.set(key, r.chains);
    top.natServices.push(...r.top.natServices);
    top.natNodePorts.push(...r.top.natNodePorts);
    top.filterServices.push(...r.top.filterServices);
    top.filterExternal.push(...r.top.filterExternal);
  }
  top.natServices.push(
    `-A ${KUBE_SERVICES} ${comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j ${KUBE_NODEPORTS}`,
  );
  return {
    fixed: fixedChains(),
    top: [
      { table: 'nat', name: KUBE_SERVICES, rules: top.natServices },
      { table: 'nat', name: KUBE_NODEPORTS, rules: top.natNodePorts },
      { table: 'filter', name: KUBE_SERVICES, rules: top.filterServices },
      { table: 'filter', name: KUBE_EXTERNAL_SERVICES, rules: top.filterExternal },
    ],
    services,
  };
}

export function buildRules(model: ProxyModel): RuleSet {
  const ctx = renderContext(model);
  return assembleRules(servicesWithRules(model).map((svc) => [serviceKey(svc), renderService(svc, ctx)] as const));
}

export interface ChainRef { table: Table; name: string }

export interface RuleLine { table: Table; line: string }

export { renderRestore };

export function allChains(rules: RuleSet): Chain[] {
  return [...rules.fixed, ...rules.top, ...[...rules.services.values()].flat()];
}

/** The complete restore text for a model (what a full sync writes, stale-chain deletions aside). */
export function buildRestoreText(model: ProxyModel): string {
  return renderRestore(allChains(buildRules(model)));
}
