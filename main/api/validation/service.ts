// Service validation (ValidateService / ValidateServiceUpdate). Names are DNS-1035 labels, as in
// Kubernetes. NodePort ranges are the allocator's business, not validation's.
import type { KObject } from '../types';
import { validateLabels } from '../labels';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required } from './cause';
import { PROTOCOLS, dns1123Label, validatePortNumOrName } from './container';
import { GoRepr, goQuote, goStrings } from './gofmt';
import { isValidIP, isValidPortNum } from './names';
import { checkType, list, num, obj, str, strMap } from './read';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];

function isHeadless(spec: Record<string, unknown>): boolean {
  return str(spec.clusterIP) === 'None';
}

/** The cluster IPs of a service spec: clusterIPs, else [clusterIP]. */
export function clusterIPsOf(spec: Record<string, unknown>): string[] {
  const ips = list(spec.clusterIPs).map(str).filter(Boolean);
  if (ips.length) return ips;
  const ip = str(spec.clusterIP);
  return ip ? [ip] : [];
}

/** %#v of the core.ServicePort key Kubernetes reports for duplicate port/protocol pairs. */
function portKey(protocol: string, port: number): GoRepr {
  return new GoRepr(`core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`);
}

export function validateService(svc: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(svc.spec);
  for (const [k, t] of [['ports', 'array'], ['selector', 'object'], ['type', 'string'], ['clusterIP', 'string'], ['clusterIPs', 'array']] as const) {
    checkType(causes, `spec.${k}`, spec[k], t);
  }
  const type = str(spec.type);
  const ports = list(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') causes.push(required('spec.ports'));
  if (type && !SERVICE_TYPES.includes(type)) causes.push(notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ExternalName') {
    if (!str(spec.externalName)) causes.push(required('spec.externalName'));
    if (clusterIPsOf(spec).length) causes.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  } else {
    clusterIPsOf(spec).forEach((ip, i) => {
      if (ip === 'None' && i === 0) return;
      for (const m of isValidIP(ip)) causes.push(invalid(`spec.clusterIPs[${i}]`, ip, m));
    });
  }

  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = obj(raw);
    const path = `spec.ports[${i}]`;
    const name = str(p.name);
    if (ports.length > 1 && !name) causes.push(required(`${path}.name`));
    else if (name) {
      causes.push(...dns1123Label(name, `${path}.name`));
      if (names.has(name)) causes.push(duplicate(`${path}.name`, name));
      else names.add(name);
    }
    if (checkType(causes, `${path}.port`, p.port, 'integer')) {
      const port = num(p.port) ?? 0;
      for (const m of isValidPortNum(port)) causes.push(invalid(`${path}.port`, port, m));
    }
    const protocol = str(p.protocol);
    if (!protocol) causes.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) causes.push(notSupported(`${path}.protocol`, protocol, PROTOCOLS));
    if (p.targetPort !== undefined && p.targetPort !== null) causes.push(...validatePortNumOrName(p.targetPort, `${path}.targetPort`));
    const nodePort = num(p.nodePort) ?? 0;
    if (nodePort !== 0 && type === 'ClusterIP') causes.push(forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });

  const seen = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((raw, i) => {
    const p = obj(raw);
    const key = `${str(p.protocol)}/${num(p.port) ?? 0}`;
    if (seen.has(key)) causes.push(duplicate(`spec.ports[${i}]`, portKey(str(p.protocol), num(p.port) ?? 0)));
    seen.add(key);
    const np = num(p.nodePort) ?? 0;
    if (np !== 0) {
      const nk = `${str(p.protocol)}/${np}`;
      if (seenNodePorts.has(nk)) causes.push(duplicate(`spec.ports[${i}].nodePort`, np));
      seenNodePorts.add(nk);
    }
  });

  causes.push(...validateLabels(strMap(spec.selector), 'spec.selector'));
  const affinity = str(spec.sessionAffinity);
  if (affinity && !AFFINITIES.includes(affinity)) causes.push(notSupported('spec.sessionAffinity', affinity, AFFINITIES));
  for (const f of ['externalTrafficPolicy', 'internalTrafficPolicy']) {
    const v = str(spec[f]);
    if (v && !TRAFFIC_POLICIES.includes(v)) causes.push(notSupported(`spec.${f}`, v, TRAFFIC_POLICIES));
  }
  return causes;
}

/**
 * A service's cluster IP may not change once set (an empty clusterIP in the update means "keep",
 * the server carries the stored value over). Changes to or from ExternalName are allowed.
 */
export function validateServiceUpdate(next: KObject, prev: KObject): Cause[] {
  const spec = obj(next.spec);
  const old = obj(prev.spec);
  if (str(spec.type) === 'ExternalName' || str(old.type) === 'ExternalName') return [];
  const oldIPs = clusterIPsOf(old);
  const newIPs = clusterIPsOf(spec);
  if (oldIPs.length === 0 || newIPs.length === 0) return [];
  if (oldIPs[0] === 'None' && newIPs[0] === 'None') return [];
  const causes: Cause[] = [];
  const n = Math.min(oldIPs.length, newIPs.length);
  for (let i = 0; i < n; i++) {
    if (oldIPs[i] !== newIPs[i]) causes.push(invalid(`spec.clusterIPs[${i}]`, goStrings(newIPs), 'may not change once set'));
  }
  return causes;
}
