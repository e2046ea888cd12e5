// networking.k8s.io/v1 NetworkPolicy validation (ValidateNetworkPolicySpec, ValidateNetworkPolicyPort,
// ValidateNetworkPolicyPeer, ValidateIPBlock).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, invalid, notSupported, required } from './cause';
import { GoRepr, goQuote } from './gofmt';
import { isValidPortName, isValidPortNum } from './names';
import { isValidCIDR } from './node';
import { isObj, list, obj, str } from './read';
import { validateLabelSelector } from './selector';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const POLICY_TYPES = ['Ingress', 'Egress'] as const;
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function validatePort(p: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const port = obj(p);
  if (port.protocol !== undefined && port.protocol !== null && !PROTOCOLS.includes(port.protocol as typeof PROTOCOLS[number])) {
    causes.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  }
  const end = port.endPort;
  const hasEnd = end !== undefined && end !== null;
  if (typeof port.port === 'number') {
    for (const msg of isValidPortNum(port.port)) causes.push(invalid(`${path}.port`, port.port, msg));
    if (hasEnd && typeof end === 'number') {
      if (end < port.port) causes.push(invalid(`${path}.endPort`, end, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(end)) causes.push(invalid(`${path}.endPort`, end, msg));
    }
  } else if (typeof port.port === 'string') {
    if (hasEnd) causes.push(invalid(`${path}.endPort`, end, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) causes.push(invalid(`${path}.port`, port.port, msg));
  } else if (hasEnd) {
    causes.push(invalid(`${path}.endPort`, end, 'may not be specified when `port` is not specified'));
  }
  return causes;
}

/** The network and prefix length of a valid CIDR, IPv4 only as numbers; undefined for IPv6 (no subset check). */
function v4Net(cidr: string): { base: number; bits: number } | undefined {
  const [ip = '', bits = ''] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4) return undefined;
  const n = Number(bits);
  const addr = parts.reduce((a, b) => a * 256 + b, 0);
  const size = 2 ** (32 - n);
  return { base: addr - (addr % size), bits: n };
}

function validateIPBlock(b: unknown, path: string): Cause[] {
  const block = obj(b);
  const cidr = str(block.cidr);
  if (!cidr) return [required(`${path}.cidr`, '')];
  if (!isValidCIDR(cidr)) return [invalid(`${path}.cidr`, cidr, CIDR_MSG)];
  const causes: Cause[] = [];
  const outer = v4Net(cidr);
  list(block.except).forEach((e, i) => {
    const ex = str(e);
    const p = `${path}.except[${i}]`;
    if (!isValidCIDR(ex)) {
      causes.push(invalid(p, ex, CIDR_MSG));
      return;
    }
    const inner = v4Net(ex);
    if (!outer || !inner) return;
    const inside = inner.base >= outer.base && inner.base < outer.base + 2 ** (32 - outer.bits);
    if (!inside || outer.bits >= inner.bits) causes.push(invalid(p, ex, 'must be a strict subset of `cidr`'));
  });
  return causes;
}

function validatePeer(p: unknown, path: string): Cause[] {
  const causes: Cause[] = [];
  const peer = obj(p);
  let peers = 0;
  if (isObj(peer.podSelector)) {
    peers++;
    causes.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (isObj(peer.namespaceSelector)) {
    peers++;
    causes.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (isObj(peer.ipBlock)) {
    peers++;
    causes.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (peers === 0) causes.push(required(path, 'must specify a peer'));
  else if (peers > 1 && isObj(peer.ipBlock)) causes.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return causes;
}

export function validateNetworkPolicy(np: KObject): Cause[] {
  const spec = obj(np.spec);
  const causes = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    list(spec[dir]).forEach((r, i) => {
      const rule = obj(r);
      const path = `spec.${dir}[${i}]`;
      list(rule.ports).forEach((p, j) => causes.push(...validatePort(p, `${path}.ports[${j}]`)));
      list(rule[peersKey]).forEach((p, j) => causes.push(...validatePeer(p, `${path}.${peersKey}[${j}]`)));
    });
  }
  const types = list(spec.policyTypes);
  if (types.length > POLICY_TYPES.length) {
    const repr = new GoRepr(`[]networking.PolicyType{${types.map((t) => goQuote(str(t))).join(', ')}}`);
    return [...causes, invalid('spec.policyTypes', repr, 'may not specify more than two policyTypes')];
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t as typeof POLICY_TYPES[number])) causes.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return causes;
}
