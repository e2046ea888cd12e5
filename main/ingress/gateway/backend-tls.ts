// BackendTLSPolicies as the built-in gateway applies them (no I/O): which policy takes each Service port (by its
// sectionName, the port's name, else the whole Service; the older policy, then the first by namespace/name, wins a tie
// and the others are Conflicted), the CA bundle it trusts (its ConfigMaps' `ca.crt`, or the system's CAs for
// `wellKnownCACertificates: System`), the SNI and names it checks, and the status the policy gets under each Gateway
// whose routes send to one of its Services (Accepted and ResolvedRefs, in the Gateway API's reasons). A policy whose
// every CA reference is invalid still takes its Service: requests there fail (5xx), as the Gateway API requires.
import { X509Certificate } from 'node:crypto';
import type { ConfigMap, Service } from '../../api/types';
import { backendRefsOf, portScheme, type Attachment, type PlannedCondition } from './attach';
import { GATEWAY_GROUP, type BackendTLSPolicy, type ParentReference, type SubjectAltName } from './types';

/** How the gateway connects to the pods of one Service port. */
export interface BackendTls {
  /** The policy, `namespace/name` (for messages). */
  policy: string;
  /** The SNI sent, and the name the certificate must carry unless subjectAltNames are given. */
  hostname: string;
  /** The PEM bundle trusted; undefined: the system's CAs. */
  ca?: string;
  subjectAltNames: SubjectAltName[];
  /** Why every connection fails (no valid CA certificate). */
  problem?: string;
}

export interface PolicyStatus {
  policy: BackendTLSPolicy;
  /** Our ancestors' entries: the Gateways whose routes send to a Service the policy targets. */
  ancestors: Array<{ ancestorRef: ParentReference; conditions: PlannedCondition[] }>;
}

export interface BackendTlsPlan {
  /** The policy taking a Service's port (by the port's name), if any. */
  forPort(namespace: string, service: string, portName: string | undefined): BackendTls | undefined;
  /** Every policy's status, by `namespace/name`. */
  statuses: Map<string, PolicyStatus>;
}

export interface BackendTlsWorld {
  policies: readonly BackendTLSPolicy[];
  attachments: readonly Attachment[];
  service(namespace: string, name: string): Service | undefined;
  configMap(namespace: string, name: string): ConfigMap | undefined;
}

/** The Gateway API keeps at most this many ancestors in a policy's status. */
const MAX_ANCESTORS = 16;

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** The older first (creationTimestamp), then by namespace/name: the Gateway API's precedence between policies. */
function precedence(a: BackendTLSPolicy, b: BackendTLSPolicy): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
}

/** The PEM certificates of a bundle, each parsed (an error names what is wrong). */
function validBundle(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate';
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch (e) {
      return `holds a certificate that cannot be parsed (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  return undefined;
}

interface Resolved { tls: Omit<BackendTls, 'policy'>; conditions: PlannedCondition[] }

/** A policy's CA references and well-known CAs resolved, with its Accepted and ResolvedRefs conditions (before conflicts). */
function resolve(p: BackendTLSPolicy, w: BackendTlsWorld): Resolved {
  const ns = p.metadata?.namespace ?? '';
  const generation = p.metadata?.generation ?? 0;
  const v = p.spec?.validation;
  const cond = (type: string, ok: boolean, reason: string, message: string): PlannedCondition =>
    ({ type, status: ok ? 'True' : 'False', reason, message, observedGeneration: generation });
  const base = { hostname: v?.hostname ?? '', subjectAltNames: v?.subjectAltNames ?? [] };
  const refs = v?.caCertificateRefs ?? [];
  if (refs.length === 0) {
    const known = v?.wellKnownCACertificates ?? '';
    if (known !== 'System') {
      const why = `wellKnownCACertificates "${known}" is not supported: only System (the CAs Node.js trusts)`;
      return { tls: { ...base, problem: why }, conditions: [cond('Accepted', false, 'Invalid', why), cond('ResolvedRefs', true, 'ResolvedRefs', 'no CA certificate references')] };
    }
    return { tls: base, conditions: [cond('Accepted', true, 'Accepted', 'the system\'s CA certificates are trusted'), cond('ResolvedRefs', true, 'ResolvedRefs', 'no CA certificate references')] };
  }
  const bundles: string[] = [];
  const problems: Array<{ reason: string; message: string }> = [];
  for (const [i, ref] of refs.entries()) {
    if ((ref.group ?? '') !== '' || ref.kind !== 'ConfigMap') {
      problems.push({ reason: 'InvalidKind', message: `caCertificateRefs[${i}]: ${ref.group ? `${ref.group}/` : ''}${ref.kind} ${ref.name} is not supported: only a ConfigMap` });
      continue;
    }
    const cm = w.configMap(ns, ref.name);
    const pem = cm?.data?.['ca.crt'];
    const bad = !cm ? 'not found' : pem === undefined ? 'has no key "ca.crt"' : validBundle(pem);
    if (bad) problems.push({ reason: 'InvalidCACertificateRef', message: `caCertificateRefs[${i}]: ConfigMap ${ns}/${ref.name} ${bad}` });
    else bundles.push(pem!);
  }
  const resolved = problems.length === 0
    ? cond('ResolvedRefs', true, 'ResolvedRefs', 'every CA certificate reference resolved')
    : cond('ResolvedRefs', false, problems[0].reason, problems.map((x) => x.message).join('; '));
  if (bundles.length === 0) {
    const why = `no valid CA certificate: ${problems.map((x) => x.message).join('; ')}`;
    return { tls: { ...base, problem: why }, conditions: [cond('Accepted', false, 'NoValidCACertificate', why), resolved] };
  }
  return { tls: { ...base, ca: bundles.join('\n') }, conditions: [cond('Accepted', true, 'Accepted', `TLS to its targets is checked against ${bundles.length} CA bundle(s)`), resolved] };
}

/** The Services (namespace/name) an HTTPRoute's or GRPCRoute's rules send to, mirrors included. */
function routeServices(a: Attachment): string[] {
  // A TLSRoute's Gateway originates TLS to the backend only where its listener terminated the client's.
  if (a.kind === 'TCPRoute' || (a.kind === 'TLSRoute' && portScheme(a.listener) !== 'tls-terminate')) return [];
  const ns = a.route.metadata?.namespace ?? '';
  return backendRefsOf(a.route).filter((r) => (r.group ?? '') === '' && (r.kind ?? 'Service') === 'Service').map((r) => `${r.namespace ?? ns}/${r.name}`);
}

export function planBackendTls(w: BackendTlsWorld): BackendTlsPlan {
  // Which Gateways send to each Service.
  const gatewaysOf = new Map<string, Set<string>>();
  for (const a of w.attachments) {
    for (const s of routeServices(a)) {
      let set = gatewaysOf.get(s);
      if (!set) gatewaysOf.set(s, (set = new Set()));
      set.add(a.gateway);
    }
  }
  const resolved = new Map<string, Resolved>();
  const winners = new Map<string, BackendTls>();
  const lost = new Map<string, string[]>();
  for (const p of [...w.policies].sort(precedence)) {
    const key = keyOf(p);
    const r = resolve(p, w);
    resolved.set(key, r);
    for (const t of p.spec?.targetRefs ?? []) {
      if ((t.group ?? '') !== '' || t.kind !== 'Service') continue;
      const target = `${p.metadata?.namespace ?? ''}/${t.name}:${t.sectionName ?? ''}`;
      const winner = winners.get(target);
      if (winner) lost.set(key, [...(lost.get(key) ?? []), `BackendTLSPolicy ${winner.policy} takes Service ${target.replace(/:$/, '')} (it is older, or first by name)`]);
      else winners.set(target, { policy: key, ...r.tls });
    }
  }
  const statuses = new Map<string, PolicyStatus>();
  for (const p of w.policies) {
    const key = keyOf(p);
    const ns = p.metadata?.namespace ?? '';
    const r = resolved.get(key)!;
    const targets = (p.spec?.targetRefs ?? []).filter((t) => (t.group ?? '') === '' && t.kind === 'Service');
    const generation = p.metadata?.generation ?? 0;
    let conditions = r.conditions;
    const missing = targets.filter((t) => !w.service(ns, t.name)).map((t) => `Service ${ns}/${t.name} not found`);
    const conflicts = lost.get(key);
    if (conflicts && conflicts.length >= targets.length) {
      conditions = conditions.map((c) => (c.type === 'Accepted' ? { ...c, status: 'False', reason: 'Conflicted', message: conflicts.join('; ') } : c));
    } else if (targets.length === 0 || missing.length === targets.length) {
      const why = targets.length === 0 ? 'no targetRef names a core Service' : missing.join('; ');
      conditions = conditions.map((c) => (c.type === 'Accepted' && c.status === 'True' ? { ...c, status: 'False', reason: 'TargetNotFound', message: why, observedGeneration: generation } : c));
    }
    const gateways = new Set<string>();
    for (const t of targets) for (const g of gatewaysOf.get(`${ns}/${t.name}`) ?? []) gateways.add(g);
    const ancestors = [...gateways].sort().slice(0, MAX_ANCESTORS).map((g) => {
      const [gns, gname] = g.split('/');
      return { ancestorRef: { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gns, name: gname }, conditions };
    });
    statuses.set(key, { policy: p, ancestors });
  }
  return {
    forPort: (namespace, service, portName) =>
      (portName ? winners.get(`${namespace}/${service}:${portName}`) : undefined) ?? winners.get(`${namespace}/${service}:`),
    statuses,
  };
}
