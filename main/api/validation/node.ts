// Node validation (ValidateNode / ValidateNodeUpdate): taints, pod CIDRs, provider ID.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { GoRepr, goQuote } from './gofmt';
import { ipFamilyOf, isQualifiedName, isValidLabelValue } from './names';
import { checkType, list, obj, str } from './read';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function isValidCIDR(v: string): boolean {
  const [ip, bits, ...rest] = v.split('/');
  if (rest.length || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const fam = ipFamilyOf(ip);
  return fam !== undefined && Number(bits) <= (fam === 'IPv4' ? 32 : 128);
}

export function podCIDRsOf(spec: Record<string, unknown>): string[] {
  const cidrs = list(spec.podCIDRs).map(str).filter(Boolean);
  if (cidrs.length) return cidrs;
  return str(spec.podCIDR) ? [str(spec.podCIDR)] : [];
}

function taintRepr(key: string, value: string, effect: string): GoRepr {
  return new GoRepr(`core.Taint{Key:${goQuote(key)}, Value:${goQuote(value)}, Effect:${goQuote(effect)}, TimeAdded:(*v1.Time)(nil)}`);
}

export function validateNode(node: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(node.spec);
  checkType(causes, 'spec.taints', spec.taints, 'array');
  checkType(causes, 'spec.unschedulable', spec.unschedulable, 'boolean');
  const seen = new Set<string>();
  list(spec.taints).forEach((raw, i) => {
    const t = obj(raw);
    const p = `spec.taints[${i}]`;
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    for (const m of isQualifiedName(key)) causes.push(invalid(`${p}.key`, key, m));
    const vErrs = isValidLabelValue(value);
    if (vErrs.length) causes.push(invalid(`${p}.value`, value, vErrs.join(';')));
    if (!effect) causes.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) causes.push(notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    const k = `${effect}\u0000${key}`;
    if (seen.has(k)) {
      const d = duplicate(p, taintRepr(key, value, effect));
      causes.push({ ...d, message: `${d.message}: taints must be unique by key and effect pair` });
    }
    seen.add(k);
  });
  podCIDRsOf(spec).forEach((c, i) => {
    if (!isValidCIDR(c)) causes.push(invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return causes;
}

export function validateNodeUpdate(next: KObject, prev: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(next.spec);
  const old = obj(prev.spec);
  const oldCIDRs = podCIDRsOf(old);
  const newCIDRs = podCIDRsOf(spec);
  const cidrMsg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) causes.push(forbidden('spec.podCIDRs', cidrMsg));
    else oldCIDRs.forEach((c, i) => { if (c !== newCIDRs[i]) causes.push(forbidden('spec.podCIDRs', cidrMsg)); });
  }
  const oldProvider = str(old.providerID);
  if (oldProvider && oldProvider !== str(spec.providerID)) {
    causes.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return causes;
}
