// The cluster's DNS records, built from Services, EndpointSlices and Pods as the Kubernetes DNS
// specification (kubernetes/dns docs/specification.md, schema 1.0.1) and CoreDNS's kubernetes
// plugin define them:
//   <svc>.<ns>.svc.<zone>                     A: the ClusterIP; headless: one per ready endpoint address
//   <host>.<svc>.<ns>.svc.<zone>              A: an endpoint by its hostname (or its dashed IP, as CoreDNS)
//   _<port>._<proto>.<svc>.<ns>.svc.<zone>    SRV: named ports (headless: one per endpoint, on its port)
//   <svc>.<ns>.svc.<zone>                     SRV: every port, named or not (CoreDNS: no port or protocol label matches all)
//   <svc>.<ns>.svc.<zone>                     CNAME: an ExternalName Service
//   <d>.<c>.<b>.<a>.in-addr.arpa              PTR: ClusterIPs, endpoints, and other pods (<a-b-c-d>.<ns>.pod.<zone>)
//   dns-version.<zone>                        TXT "1.0.1"
// Names are kept lowercase (queries compare case-insensitively) without the trailing dot.
import type { EndpointSlice, Pod, Service } from '../../../main/api/types';

export interface Srv { priority: number; weight: number; port: number; target: string }

export interface Zone {
  domain: string;
  a: Map<string, string[]>;
  cname: Map<string, string>;
  srv: Map<string, Srv[]>;
  txt: Map<string, string[]>;
  /** IPv4 address → the name its PTR record points at. */
  ptr: Map<string, string>;
  /** Every owner name in the zone and each of its ancestors down to the zone: a query for one of these is NODATA, never NXDOMAIN. */
  names: Set<string>;
}

export interface ZoneInput {
  domain: string;
  services: Service[];
  slices: EndpointSlice[];
  pods: Pod[];
}

export const SCHEMA_VERSION = '1.0.1';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(ip: string): boolean {
  const m = IPV4.exec(ip);
  return !!m && m.slice(1).every((p) => Number(p) <= 255);
}

export function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

/** a.b.c.d → d.c.b.a.in-addr.arpa */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

export function emptyZone(domain: string): Zone {
  return { domain, a: new Map(), cname: new Map(), srv: new Map(), txt: new Map(), ptr: new Map(), names: new Set() };
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function addName(z: Zone, name: string): void {
  for (let n = name; n.length >= z.domain.length && !z.names.has(n); n = n.slice(n.indexOf('.') + 1)) {
    z.names.add(n);
    if (n === z.domain || !n.includes('.')) break;
  }
}

function addA(z: Zone, name: string, ip: string): void {
  if (!isIPv4(ip)) return;
  const list = z.a.get(name);
  if (list?.includes(ip)) return;
  push(z.a, name, ip);
  addName(z, name);
}

function addPtr(z: Zone, ip: string, target: string): void {
  if (isIPv4(ip) && !z.ptr.has(ip)) z.ptr.set(ip, target);
}

function addSrv(z: Zone, name: string, srv: Srv): void {
  push(z.srv, name, srv);
  addName(z, name);
}

/** A service port's SRV records, on `target`: under `_<name>._<proto>.<svc>` when the port is named, and under `<svc>`. */
function addPortSrv(z: Zone, base: string, p: { name?: string; protocol?: string; port: number }, target: string): void {
  const srv = { priority: 0, weight: 100, port: p.port, target };
  if (p.name) addSrv(z, `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`.toLowerCase(), srv);
  addSrv(z, base, { ...srv });
}

/** Ready endpoints of the service's slices, with their address, hostname and ports. */
function readyEndpoints(slices: EndpointSlice[]): Array<{ ip: string; host: string; ports: NonNullable<EndpointSlice['ports']> }> {
  const out: Array<{ ip: string; host: string; ports: NonNullable<EndpointSlice['ports']> }> = [];
  for (const s of slices) {
    if (s.addressType && s.addressType !== 'IPv4') continue;
    for (const ep of s.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue; // unset means ready (EndpointSlice API)
      for (const ip of ep.addresses ?? []) out.push({ ip, host: (ep.hostname ?? dashed(ip)).toLowerCase(), ports: s.ports ?? [] });
    }
  }
  return out;
}

function addService(z: Zone, svc: Service, slices: EndpointSlice[]): void {
  const ns = svc.metadata?.namespace ?? 'default';
  const base = `${svc.metadata?.name ?? ''}.${ns}.svc.${z.domain}`.toLowerCase();
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    if (spec.externalName) { z.cname.set(base, spec.externalName.replace(/\.$/, '').toLowerCase()); addName(z, base); }
    return;
  }
  const headless = spec.clusterIP === 'None';
  const endpoints = readyEndpoints(slices);
  if (!headless) {
    const ips = (spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? '']).filter(isIPv4);
    if (!ips.length) return;
    for (const ip of ips) { addA(z, base, ip); addPtr(z, ip, base); }
    for (const p of spec.ports ?? []) addPortSrv(z, base, p, base);
  }
  for (const ep of endpoints) {
    const host = `${ep.host}.${base}`;
    if (headless) addA(z, base, ep.ip);
    addA(z, host, ep.ip);
    addPtr(z, ep.ip, host);
    if (!headless) continue;
    for (const p of ep.ports) if (p.port !== undefined) addPortSrv(z, base, { ...p, port: p.port }, host);
  }
}

/** Spreads each SRV name's weight over its records (RFC 2782: weights share the same priority). */
function spreadWeights(z: Zone): void {
  for (const list of z.srv.values()) {
    const w = Math.max(1, Math.floor(100 / list.length));
    for (const r of list) r.weight = w;
  }
}

export function buildZone(input: ZoneInput): Zone {
  const z = emptyZone(input.domain.toLowerCase().replace(/\.$/, ''));
  addName(z, z.domain);
  z.txt.set(`dns-version.${z.domain}`, [SCHEMA_VERSION]);
  addName(z, `dns-version.${z.domain}`);
  const slicesBySvc = new Map<string, EndpointSlice[]>();
  for (const s of input.slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (svc) push(slicesBySvc, `${s.metadata?.namespace ?? ''}/${svc}`, s);
  }
  for (const svc of input.services) addService(z, svc, slicesBySvc.get(`${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`) ?? []);
  spreadWeights(z);
  // Pods not behind a service's endpoint still have a reverse name: their (deprecated, always answered) pod A record.
  for (const p of input.pods) {
    if (p.spec?.hostNetwork) continue;
    for (const ip of [p.status?.podIP, ...(p.status?.podIPs ?? []).map((x) => x.ip)]) {
      if (!ip) continue;
      addPtr(z, ip, `${dashed(ip)}.${p.metadata?.namespace ?? 'default'}.pod.${z.domain}`);
    }
  }
  return z;
}

/** The IPv4 address named by a pod A record `<a-b-c-d>.<ns>.pod.<zone>` (any such name answers, per the specification). */
export function podRecordIP(z: Zone, name: string): string | undefined {
  const suffix = `.pod.${z.domain}`;
  if (!name.endsWith(suffix)) return undefined;
  const parts = name.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return undefined;
  const label = parts[0] ?? '';
  const ip = label.replace(/-/g, '.');
  return isIPv4(ip) && /^\d+-\d+-\d+-\d+$/.test(label) ? ip : undefined;
}
