// Pure: NetworkPolicies + pods + namespaces → iptables filter chains that enforce them for the pods of
// this node. FLOTILLA-NETPOL (jumped from FORWARD) lets replies through (conntrack ESTABLISHED,RELATED)
// and sends traffic to / from each isolated local pod through its own chain: FLOTILLA-NPI-<hash> for
// ingress, FLOTILLA-NPE-<hash> for egress. A pod chain clears the "allowed" mark, marks what a rule
// allows, RETURNs marked packets and DROPs the rest; an ipBlock peer with `except` gets a helper chain
// FLOTILLA-NPB-<hash> (RETURN for the excepted ranges, mark for the rest). Node → pod traffic leaves
// the node through OUTPUT, not FORWARD, so kubelet probes are never filtered.
import { createHash } from 'node:crypto';
import { selectorFromLabelSelector } from '../../../main/api/labels';
import { compareCodePoints } from '../../../main/api/string-order';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from '../../../main/api/types';
import { cidrWithin } from '../network/routes';
import { base32Prefix } from '../proxy/names';
import type { Chain } from '../proxy/rules';

export const NETPOL_CHAIN = 'FLOTILLA-NETPOL';
export const NETPOL_CHAIN_PREFIX = 'FLOTILLA-NP';
export const ALLOW_MARK = '0x10000/0x10000';

export interface NetpolInput {
  policies: NetworkPolicy[];
  /** Every pod of the cluster (peers may live on any node). */
  pods: Pod[];
  /** Namespace name → its labels. */
  namespaces: Map<string, Record<string, string>>;
  /** Pods on this node get chains. */
  nodeName: string;
}

type Dir = 'ingress' | 'egress';

function chainName(kind: 'NPI' | 'NPE' | 'NPB', key: string): string {
  return `FLOTILLA-${kind}-${base32Prefix(createHash('sha256').update(key).digest(), 12)}`;
}

function podIP(p: Pod): string | undefined {
  if (p.spec?.hostNetwork) return undefined;
  const ip = p.status?.podIP;
  return ip && !ip.includes(':') ? ip : undefined;
}

function live(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

function policyTypes(np: NetworkPolicy): Dir[] {
  const types = np.spec?.policyTypes?.length ? np.spec.policyTypes : (np.spec?.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']);
  return types.map((t) => (t === 'Egress' ? 'egress' : 'ingress'));
}

function selects(np: NetworkPolicy, pod: Pod): boolean {
  if ((np.metadata?.namespace ?? 'default') !== (pod.metadata?.namespace ?? 'default')) return false;
  try {
    return selectorFromLabelSelector(np.spec?.podSelector ?? {}).matches(pod.metadata?.labels);
  } catch {
    return false;
  }
}

function matchesSel(sel: Parameters<typeof selectorFromLabelSelector>[0], labels: Record<string, string> | undefined): boolean {
  try {
    return selectorFromLabelSelector(sel).matches(labels);
  } catch {
    return false;
  }
}

/** The pods a pod/namespace peer stands for (podSelector alone: the policy's namespace). */
function peerPods(peer: NetworkPolicyPeer, policyNs: string, input: NetpolInput): Pod[] {
  return input.pods.filter((p) => {
    const ns = p.metadata?.namespace ?? 'default';
    if (peer.namespaceSelector) {
      if (!matchesSel(peer.namespaceSelector, input.namespaces.get(ns))) return false;
    } else if (ns !== policyNs) return false;
    return peer.podSelector ? matchesSel(peer.podSelector, p.metadata?.labels) : true;
  }).filter((p) => live(p) && podIP(p));
}

/** `-p tcp -m tcp --dport 80[:90]` fragments for one NetworkPolicyPort; a named port resolves on `target`; [] if it cannot. */
function portMatches(port: NetworkPolicyPort, target: Pod | undefined): string[] {
  const proto = (port.protocol ?? 'TCP').toLowerCase();
  const p = port.port;
  if (p === undefined || p === null) return [`-p ${proto}`];
  let num: number | undefined;
  if (typeof p === 'number') num = p;
  else {
    for (const c of target?.spec?.containers ?? []) {
      const found = c.ports?.find((cp) => cp.name === p && (cp.protocol ?? 'TCP').toLowerCase() === proto);
      if (found) num = found.containerPort;
    }
  }
  if (num === undefined) return [];
  const range = typeof p === 'number' && port.endPort ? `${num}:${port.endPort}` : String(num);
  return [`-p ${proto} -m ${proto} --dport ${range}`];
}

interface Builder { chains: Chain[]; rules: string[]; chain: string }

function mark(b: Builder, match: string): void {
  b.rules.push(`-A ${b.chain} ${match}${match ? ' ' : ''}-j MARK --set-xmark ${ALLOW_MARK}`);
}

function ipBlockRule(b: Builder, dir: Dir, cidr: string, except: readonly string[], portFrag: string): void {
  const side = dir === 'ingress' ? '-s' : '-d';
  if (!except.length) {
    mark(b, `${side} ${cidr}${portFrag ? ` ${portFrag}` : ''}`);
    return;
  }
  const helper = chainName('NPB', `${b.chain}/${b.rules.length}/${cidr}`);
  const rules = except.map((e) => `-A ${helper} ${side} ${e} -j RETURN`);
  rules.push(`-A ${helper} -j MARK --set-xmark ${ALLOW_MARK}`);
  b.chains.push({ table: 'filter', name: helper, rules });
  b.rules.push(`-A ${b.chain} ${side} ${cidr}${portFrag ? ` ${portFrag}` : ''} -j ${helper}`);
}

/** Live pods with an address inside `cidr` and outside every `except` range. */
function podsInBlock(cidr: string, except: readonly string[], input: NetpolInput): Pod[] {
  return input.pods.filter((p) => {
    const ip = live(p) ? podIP(p) : undefined;
    return !!ip && cidrWithin(ip, cidr) && !except.some((e) => cidrWithin(ip, e));
  });
}

/**
 * Egress ports that name a port: they stand for that port on each destination pod that names it, so
 * they are resolved per pod (`candidates`: the pods the peer, or no peer, allows) rather than per range.
 */
function namedEgress(b: Builder, named: NetworkPolicyPort[], candidates: Pod[]): void {
  for (const other of candidates) {
    for (const f of named.flatMap((p) => portMatches(p, other))) mark(b, `-d ${podIP(other)}/32 ${f}`);
  }
}

/** The rules one policy rule (ports × peers) adds to a pod's chain. */
function addRule(b: Builder, dir: Dir, pod: Pod, np: NetworkPolicy, ports: NetworkPolicyPort[], peers: NetworkPolicyPeer[], input: NetpolInput): void {
  const policyNs = np.metadata?.namespace ?? 'default';
  const side = dir === 'ingress' ? '-s' : '-d';
  // Each peer target with the port fragments that apply to it (named ports resolve on the destination pod).
  const frags = (target: Pod | undefined): string[] => (ports.length ? ports.flatMap((p) => portMatches(p, target)) : ['']);
  const dest = (peer: Pod | undefined): Pod | undefined => (dir === 'ingress' ? pod : peer);
  // Port fragments for a destination that is a range, not a pod: an egress rule's named ports are added per pod instead.
  const named = dir === 'egress' ? ports.filter((p) => typeof p.port === 'string') : [];
  const rangeFrags = named.length ? ports.filter((p) => !named.includes(p)).flatMap((p) => portMatches(p, undefined)) : frags(dest(undefined));
  if (!peers.length) {
    for (const f of rangeFrags) mark(b, f);
    if (named.length) namedEgress(b, named, input.pods.filter((p) => live(p) && podIP(p)));
    return;
  }
  for (const peer of peers) {
    if (peer.ipBlock) {
      const except = peer.ipBlock.except ?? [];
      for (const f of rangeFrags) ipBlockRule(b, dir, peer.ipBlock.cidr, except, f);
      if (named.length) namedEgress(b, named, podsInBlock(peer.ipBlock.cidr, except, input));
      continue;
    }
    for (const other of peerPods(peer, policyNs, input)) {
      for (const f of frags(dest(other))) mark(b, `${side} ${podIP(other)}/32${f ? ` ${f}` : ''}`);
    }
  }
}

export interface NetpolRules {
  /** FLOTILLA-NETPOL first, then every pod and helper chain. */
  chains: Chain[];
}

export function computeNetpolRules(input: NetpolInput): NetpolRules {
  const top: Chain = { table: 'filter', name: NETPOL_CHAIN, rules: [`-A ${NETPOL_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`] };
  const chains: Chain[] = [];
  const local = input.pods.filter((p) => p.spec?.nodeName === input.nodeName && live(p) && podIP(p))
    .sort((a, b) => compareCodePoints(`${a.metadata?.namespace}/${a.metadata?.name}`, `${b.metadata?.namespace}/${b.metadata?.name}`));
  for (const pod of local) {
    const key = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
    for (const dir of ['ingress', 'egress'] as const) {
      const policies = input.policies.filter((np) => selects(np, pod) && policyTypes(np).includes(dir));
      if (!policies.length) continue;
      const chain = chainName(dir === 'ingress' ? 'NPI' : 'NPE', key);
      const b: Builder = { chains, rules: [`-A ${chain} -j MARK --set-xmark 0x0/0x10000`], chain };
      for (const np of policies) {
        for (const r of (dir === 'ingress' ? np.spec?.ingress : np.spec?.egress) ?? []) {
          const peers = dir === 'ingress' ? (r as { from?: NetworkPolicyPeer[] }).from : (r as { to?: NetworkPolicyPeer[] }).to;
          addRule(b, dir, pod, np, r.ports ?? [], peers ?? [], input);
        }
      }
      b.rules.push(`-A ${chain} -m mark --mark ${ALLOW_MARK} -j RETURN`, `-A ${chain} -j DROP`);
      chains.push({ table: 'filter', name: chain, rules: b.rules });
      top.rules.push(`-A ${NETPOL_CHAIN} ${dir === 'ingress' ? '-d' : '-s'} ${podIP(pod)}/32 -j ${chain}`);
    }
  }
  return { chains: [top, ...chains] };
}
