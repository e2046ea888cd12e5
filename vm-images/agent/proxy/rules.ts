// Pure: the proxy model → iptables chains (nat + filter), following kube-proxy's iptables mode
// (pkg/proxy/iptables/proxier.go): KUBE-SERVICES → KUBE-SVC-* (random statistic split) → KUBE-SEP-*
// (DNAT, hairpin mark), KUBE-NODEPORTS → KUBE-EXT-* → KUBE-SVC-*, KUBE-MARK-MASQ / KUBE-POSTROUTING,
// ClientIP affinity with `-m recent`, and REJECT in the filter table for services without endpoints.
import type { ProxyModel, ServiceModel, ServicePortModel } from './model';
import { renderRestore } from './restore-text';
import {
  endpointChainName, externalChainName, localChainName, probability, serviceChainName, servicePortName,
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

interface ResolvedEndpoint { endpoint: string; ip: string; chain: string; local: boolean }

/** Ready endpoints serving this port, de-duplicated, sorted by "ip:port" like kube-proxy's endpoints map. */
function endpointsFor(svc: ServiceModel, port: ServicePortModel, spn: string, nodeName: string | undefined): ResolvedEndpoint[] {
  const seen = new Map<string, ResolvedEndpoint>();
  for (const ep of svc.endpoints) {
    const target = ep.ports[port.name];
    if (!ep.ready || target === undefined || target <= 0 || ep.ip === '') continue;
    const endpoint = `${ep.ip}:${target}`;
    const local = !!nodeName && ep.nodeName === nodeName;
    if (!seen.has(endpoint)) seen.set(endpoint, { endpoint, ip: ep.ip, chain: endpointChainName(spn, port.protocol, endpoint), local });
  }
  return [...seen.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
}

/** What a service's rendering depends on besides the service itself. */
export interface RenderContext { clusterCIDR: string; largeCluster: boolean; nodeName?: string }

/** A service's lines in the shared top-level chains. */
export interface TopLines { natServices: string[]; natNodePorts: string[]; filterServices: string[]; filterExternal: string[] }

/** One service rendered: its own nat chains and its lines in the top-level chains. */
export interface ServiceRules { chains: Chain[]; top: TopLines }

/** A policy chain (KUBE-SVC- or KUBE-SVL-) spreading over `eps`, with ClientIP affinity first when asked. */
function policyRules(svc: ServiceModel, spn: string, chain: string, eps: ResolvedEndpoint[], ctx: RenderContext): string[] {
  const rules: string[] = [];
  const epComment = (ep: ResolvedEndpoint): string => (ctx.largeCluster ? '' : ` ${comment(`${spn} -> ${ep.endpoint}`)}`);
  if (svc.sessionAffinity === 'ClientIP') {
    for (const ep of eps) {
      rules.push(`-A ${chain}${epComment(ep)} -m recent --name ${ep.chain} --rcheck --seconds ${svc.affinityTimeoutSeconds} --reap -j ${ep.chain}`);
    }
  }
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length - i)}` : '';
    rules.push(`-A ${chain}${epComment(ep)}${stat} -j ${ep.chain}`);
  });
  return rules;
}

/**
 * One service port, as kube-proxy's syncProxyRules writes it: the ClusterIP to the internal policy chain
 * (KUBE-SVC-, or KUBE-SVL- for internalTrafficPolicy Local), externalIPs, load balancer addresses and the NodePort
 * to KUBE-EXT- (masquerade + KUBE-SVC-, or for externalTrafficPolicy Local: pods' and the node's own traffic to
 * KUBE-SVC-, the rest to KUBE-SVL- unmasqueraded), REJECT without endpoints, DROP without local ones.
 */
function servicePortChains(svc: ServiceModel, port: ServicePortModel, ctx: RenderContext, top: TopLines): Chain[] {
  const spn = servicePortName(svc.namespace, svc.name, port.name);
  const svcChain = serviceChainName(spn, port.protocol);
  const svlChain = localChainName(spn, port.protocol);
  const extChain = externalChainName(spn, port.protocol);
  const p = proto(port);
  const dst = `-d ${svc.clusterIP} --dport ${port.port}`;
  const externalIPs = svc.externalIPs ?? [];
  const lbIPs = svc.loadBalancerIPs ?? [];
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const externallyAccessible = !!port.nodePort || externalIPs.length > 0 || lbIPs.length > 0;
  const externalLocal = externallyAccessible && svc.externalTrafficPolicy === 'Local';
  const ready = endpointsFor(svc, port, spn, ctx.nodeName);
  // Cluster endpoints serve external traffic even under externalTrafficPolicy Local (pods' and the node's own).
  const clusterEps = !internalLocal || externallyAccessible ? ready : [];
  const localEps = internalLocal || externalLocal ? ready.filter((ep) => ep.local) : [];
  // kube-proxy's hasAnyEndpoints: ready endpoints anywhere (the difference between REJECT and DROP).
  const hasEndpoints = ready.length > 0;
  const hasInternal = internalLocal ? localEps.length > 0 : clusterEps.length > 0;
  const hasExternal = externalLocal ? localEps.length > 0 : clusterEps.length > 0;
  const noEndpoints = comment(`${spn} has no endpoints`);
  const noLocal = comment(`${spn} has no local endpoints`);
  const internalChain = internalLocal ? svlChain : svcChain;
  const [extTarget, extComment] = hasEndpoints ? ['DROP', noLocal] : ['REJECT', noEndpoints];

  if (hasInternal) top.natServices.push(`-A ${KUBE_SERVICES} ${comment(`${spn} cluster IP`)} ${p} ${dst} -j ${internalChain}`);
  else top.filterServices.push(`-A ${KUBE_SERVICES} ${hasEndpoints ? noLocal : noEndpoints} ${p} ${dst} -j ${hasEndpoints ? 'DROP' : 'REJECT'}`);
  for (const ip of externalIPs) {
    if (hasEndpoints) top.natServices.push(`-A ${KUBE_SERVICES} ${comment(`${spn} external IP`)} ${p} -d ${ip} --dport ${port.port} -j ${extChain}`);
    if (!hasExternal) top.filterExternal.push(`-A ${KUBE_EXTERNAL_SERVICES} ${extComment} ${p} -d ${ip} --dport ${port.port} -j ${extTarget}`);
  }
  for (const ip of lbIPs) {
    if (hasEndpoints) top.natServices.push(`-A ${KUBE_SERVICES} ${comment(`${spn} loadbalancer IP`)} ${p} -d ${ip} --dport ${port.port} -j ${extChain}`);
  }
  if (!hasExternal) for (const ip of lbIPs) top.filterExternal.push(`-A ${KUBE_EXTERNAL_SERVICES} ${extComment} ${p} -d ${ip} --dport ${port.port} -j ${extTarget}`);
  if (port.nodePort) {
    if (hasEndpoints) top.natNodePorts.push(`-A ${KUBE_NODEPORTS} ${comment(spn)} ${p} --dport ${port.nodePort} -j ${extChain}`);
    if (!hasExternal) top.filterExternal.push(`-A ${KUBE_EXTERNAL_SERVICES} ${extComment} -m addrtype --dst-type LOCAL ${p} --dport ${port.nodePort} -j ${extTarget}`);
  }
  if (!hasEndpoints) return [];

  const chains: Chain[] = [];
  if (externallyAccessible) {
    const ext: string[] = [];
    if (!externalLocal) {
      ext.push(`-A ${extChain} ${comment(`masquerade traffic for ${spn} external destinations`)} -j ${KUBE_MARK_MASQ}`);
    } else {
      ext.push(
        `-A ${extChain} ${comment(`pod traffic for ${spn} external destinations`)} -s ${ctx.clusterCIDR} -j ${svcChain}`,
        `-A ${extChain} ${comment(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`,
        `-A ${extChain} ${comment(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${svcChain}`,
      );
    }
    if (hasExternal) ext.push(`-A ${extChain} -j ${externalLocal ? svlChain : svcChain}`);
    chains.push({ table: 'nat', name: extChain, rules: ext });
  }
  // Off-cluster sources (the node itself, other hosts) reaching the ClusterIP are masqueraded.
  const masq = hasInternal ? [`-A ${internalChain} ${comment(`${spn} cluster IP`)} ${p} ${dst} ! -s ${ctx.clusterCIDR} -j ${KUBE_MARK_MASQ}`] : [];
  if (clusterEps.length) {
    chains.push({ table: 'nat', name: svcChain, rules: [...(internalChain === svcChain ? masq : []), ...policyRules(svc, spn, svcChain, clusterEps, ctx)] });
  }
  if (localEps.length) {
    chains.push({ table: 'nat', name: svlChain, rules: [...(internalChain === svlChain ? masq : []), ...policyRules(svc, spn, svlChain, localEps, ctx)] });
  }
  for (const ep of clusterEps.length ? clusterEps : localEps) {
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
  return { clusterCIDR: model.clusterCIDR, largeCluster: totalEndpoints > LARGE_CLUSTER_ENDPOINTS, nodeName: model.nodeName };
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
