// Which HTTPRoutes attach to which listeners of the built-in gateway's Gateways, and the status every one of them
// gets (pure: the world is passed in). Follows the Gateway API's rules and condition reasons:
// - a GatewayClass whose controllerName is ours is Accepted;
// - a Gateway of such a class is Accepted (ListenersNotValid when some listener is not) and Programmed while a
//   listener is; a listener serves HTTP or HTTPS (Terminate, certificates from kubernetes.io/tls Secrets, across
//   namespaces only with a ReferenceGrant) and HTTPRoutes; TCP (TCPRoutes) and TLS, Passthrough or Terminate
//   (TLSRoutes); UDP is UnsupportedProtocol, and InvalidRouteKinds, InvalidCertificateRef, RefNotPermitted say the rest;
// - a route's parentRef (by sectionName and/or port) attaches it to each listener that allows its namespace (Same,
//   All, Selector) and kind and shares a hostname with it (NotAllowedByListeners, NoMatchingListenerHostname,
//   NoMatchingParent); its backendRefs resolve to Services (InvalidKind, BackendNotFound, RefNotPermitted); a filter
//   the gateway does not implement makes it UnsupportedValue.
import type { Condition } from 'kubernetes-types/meta/v1';
import type { Namespace, Secret, Service } from '../../api/types';
import { selectorFromLabelSelector } from '../../api/labels';
import { olderFirst } from '../routing';
import { intersectHostnames } from './hostnames';
import {
  FLOTILLA_GATEWAY_CONTROLLER, GATEWAY_GROUP, type BackendObjectReference, type Gateway, type GatewayClass, type HTTPRoute, type HTTPRouteFilter,
  type HTTPRouteRule,
  KINDS_OF_PROTOCOL, type GRPCRoute, type L4Route, type Listener, type ListenerStatus, type ParentReference, type ReferenceGrant,
  type RouteKind, type RouteParentStatus,
} from './types';

export interface GatewayWorld {
  classes: readonly GatewayClass[];
  gateways: readonly Gateway[];
  routes: readonly HTTPRoute[];
  grpcRoutes?: readonly GRPCRoute[];
  tcpRoutes?: readonly L4Route[];
  tlsRoutes?: readonly L4Route[];
  grants: readonly ReferenceGrant[];
  namespace(name: string): Namespace | undefined;
  service(namespace: string, name: string): Service | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

/** A condition as the plan wants it (the status writer keeps lastTransitionTime while status is unchanged). */
export type PlannedCondition = Omit<Condition, 'lastTransitionTime'>;

/** One route attached to one listener, with the hostnames both accept ('' = any). */
export type Attachment = { gateway: string; listener: Listener; hostnames: string[] }
  & ({ kind: 'HTTPRoute'; route: HTTPRoute } | { kind: 'GRPCRoute'; route: GRPCRoute } | { kind: 'TCPRoute' | 'TLSRoute'; route: L4Route });

/** A listener's TLS certificate Secret for its hostname ('' = any). */
export interface ListenerCert { hostname: string; namespace: string; name: string }

export interface GatewayPlan {
  /** Our GatewayClasses by name, with their Accepted condition. */
  classes: Map<string, PlannedCondition[]>;
  /** Our Gateways by namespace/name, with the status they should have. */
  gateways: Map<string, { gateway: Gateway; conditions: PlannedCondition[]; listeners: Array<Omit<ListenerStatus, 'conditions'> & { conditions: PlannedCondition[] }> }>;
  /** Routes naming one of our Gateways, by `<kind> <namespace>/<name>`, with our parents' entries. */
  routes: Map<string, { kind: RouteKind; route: AnyRoute; parents: Array<Omit<RouteParentStatus, 'conditions'> & { conditions: PlannedCondition[] }> }>;
  attachments: Attachment[];
  certs: ListenerCert[];
  /** The host ports usable listeners name, with what serves them (the first listener's, on a clash). */
  ports: Map<number, PortScheme>;
}

export type AnyRoute = HTTPRoute | GRPCRoute | L4Route;

/** What a listener's port speaks: HTTP, HTTPS, TCP, TLS passed through (by SNI) or terminated. */
export type PortScheme = 'http' | 'https' | 'tcp' | 'tls-passthrough' | 'tls-terminate';

export function portScheme(l: Listener): PortScheme {
  if (l.protocol === 'TLS') return (l.tls?.mode ?? 'Terminate') === 'Passthrough' ? 'tls-passthrough' : 'tls-terminate';
  return l.protocol === 'HTTPS' ? 'https' : l.protocol === 'TCP' ? 'tcp' : 'http';
}

/** The filter types the built-in gateway implements. */
export const SUPPORTED_FILTERS = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS']);

const key = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;
const cond = (type: string, ok: boolean, reason: string, message: string, generation: number | undefined): PlannedCondition =>
  ({ type, status: ok ? 'True' : 'False', reason, message, observedGeneration: generation ?? 0 });

/** Whether a ReferenceGrant in the target's namespace lets `from` (group, kind, namespace) refer to it. */
export function granted(grants: readonly ReferenceGrant[], from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string }): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some((g) => g.metadata?.namespace === to.namespace
    && (g.spec?.from ?? []).some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace)
    && (g.spec?.to ?? []).some((t) => t.group === to.group && t.kind === to.kind && (!t.name || t.name === to.name)));
}

interface ListenerVerdict {
  listener: Listener;
  kinds: Array<{ group?: string; kind: string }>;
  conditions: PlannedCondition[];
  usable: boolean;
  certs: ListenerCert[];
}

function certVerdict(w: GatewayWorld, gw: Gateway, l: Listener): { problem?: { reason: string; message: string }; certs: ListenerCert[] } {
  const ns = gw.metadata?.namespace ?? '';
  const refs = l.tls?.certificateRefs ?? [];
  if (!refs.length) return { problem: { reason: 'InvalidCertificateRef', message: 'a listener terminating TLS needs a certificateRef' }, certs: [] };
  const certs: ListenerCert[] = [];
  for (const ref of refs) {
    const refNs = ref.namespace ?? ns;
    const what = `Secret ${refNs}/${ref.name}`;
    if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') {
      return { problem: { reason: 'InvalidCertificateRef', message: `certificateRef ${ref.group ?? ''}/${ref.kind ?? ''} ${ref.name} is not a core Secret` }, certs };
    }
    if (!granted(w.grants, { group: GATEWAY_GROUP, kind: 'Gateway', namespace: ns }, { group: '', kind: 'Secret', namespace: refNs, name: ref.name })) {
      return { problem: { reason: 'RefNotPermitted', message: `${what} is in another namespace and no ReferenceGrant there allows it` }, certs };
    }
    const s = w.secret(refNs, ref.name);
    if (!s) return { problem: { reason: 'InvalidCertificateRef', message: `${what} does not exist` }, certs };
    if (s.type !== 'kubernetes.io/tls' || !s.data?.['tls.crt'] || !s.data['tls.key']) {
      return { problem: { reason: 'InvalidCertificateRef', message: `${what} is not a kubernetes.io/tls Secret with tls.crt and tls.key` }, certs };
    }
    certs.push({ hostname: l.hostname ?? '', namespace: refNs, name: ref.name });
  }
  return { certs };
}

function judgeListener(w: GatewayWorld, gw: Gateway, l: Listener): ListenerVerdict {
  const gen = gw.metadata?.generation;
  const ok = (t: string, reason: string, message: string) => cond(t, true, reason, message, gen);
  const bad = (t: string, reason: string, message: string) => cond(t, false, reason, message, gen);
  const routeKinds = KINDS_OF_PROTOCOL[l.protocol];
  if (!routeKinds) {
    const m = `protocol ${l.protocol} is not supported by ${FLOTILLA_GATEWAY_CONTROLLER} (HTTP, HTTPS, TCP and TLS are)`;
    return { listener: l, kinds: [], usable: false, certs: [], conditions: [
      bad('Accepted', 'UnsupportedProtocol', m), bad('Programmed', 'Invalid', m), ok('ResolvedRefs', 'ResolvedRefs', 'References resolved'),
      cond('Conflicted', false, 'NoConflicts', 'No conflicts', gen)] };
  }
  const asked = l.allowedRoutes?.kinds;
  const served = (k: { group?: string; kind: string }) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && routeKinds.includes(k.kind as RouteKind);
  const kinds = (asked === undefined ? routeKinds.map((kind) => ({ kind })) : asked.filter(served))
    .filter((k, i, all) => all.findIndex((x) => x.kind === k.kind) === i).map((k) => ({ group: GATEWAY_GROUP, kind: k.kind }));
  const problems: Array<{ reason: string; message: string }> = [];
  if (asked !== undefined && asked.some((k) => !served(k))) {
    problems.push({ reason: 'InvalidRouteKinds', message: `only ${routeKinds.join(' and ')} can attach to a ${l.protocol} listener` });
  }
  let certs: ListenerCert[] = [];
  if (l.protocol === 'HTTPS' && (l.tls?.mode ?? 'Terminate') !== 'Terminate') {
    problems.push({ reason: 'UnsupportedValue', message: `tls mode ${l.tls?.mode ?? ''} is not supported on an HTTPS listener` });
  } else if (portScheme(l) === 'https' || portScheme(l) === 'tls-terminate') {
    const v = certVerdict(w, gw, l);
    certs = v.certs;
    if (v.problem) problems.push(v.problem);
  }
  const usable = problems.length === 0 || (problems.every((p) => p.reason === 'InvalidRouteKinds') && kinds.length > 0);
  const refProblem = problems[0];
  return {
    listener: l, kinds, usable, certs: usable ? certs : [],
    conditions: [
      ok('Accepted', 'Accepted', 'Listener accepted'),
      usable ? ok('Programmed', 'Programmed', 'Listener programmed') : bad('Programmed', 'Invalid', refProblem?.message ?? ''),
      refProblem ? bad('ResolvedRefs', refProblem.reason, refProblem.message) : ok('ResolvedRefs', 'ResolvedRefs', 'References resolved'),
      cond('Conflicted', false, 'NoConflicts', 'No conflicts', gen),
    ],
  };
}

function namespaceAllowed(w: GatewayWorld, gw: Gateway, l: Listener, routeNs: string): boolean {
  const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gw.metadata?.namespace;
  const ns = w.namespace(routeNs);
  return Boolean(ns) && selectorFromLabelSelector(l.allowedRoutes?.namespaces?.selector).matches(ns?.metadata?.labels);
}

const isGatewayRef = (p: ParentReference): boolean => (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway';

function backendProblem(w: GatewayWorld, kind: RouteKind, routeNs: string, ref: BackendObjectReference): { reason: string; message: string } | undefined {
  const ns = ref.namespace ?? routeNs;
  if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') {
    return { reason: 'InvalidKind', message: `backendRef ${ref.group ?? ''}/${ref.kind ?? ''} ${ref.name}: only Services are supported` };
  }
  if (!granted(w.grants, { group: GATEWAY_GROUP, kind, namespace: routeNs }, { group: '', kind: 'Service', namespace: ns, name: ref.name })) {
    return { reason: 'RefNotPermitted', message: `backendRef Service ${ns}/${ref.name} is in another namespace and no ReferenceGrant there allows it` };
  }
  if (!w.service(ns, ref.name)) return { reason: 'BackendNotFound', message: `Service ${ns}/${ref.name} not found` };
  return undefined;
}

/** Every backend a route names (rules' backendRefs and mirrors), for ResolvedRefs and BackendTLSPolicies' ancestors. */
export function backendRefsOf(route: AnyRoute): BackendObjectReference[] {
  const out: BackendObjectReference[] = [];
  const mirrors = (fs: readonly HTTPRouteFilter[] | undefined) => { for (const f of fs ?? []) if (f.type === 'RequestMirror' && f.requestMirror) out.push(f.requestMirror.backendRef); };
  for (const rule of (route.spec?.rules ?? []) as HTTPRouteRule[]) {
    mirrors(rule.filters);
    for (const b of rule.backendRefs ?? []) { out.push(b); mirrors(b.filters); }
  }
  return out;
}

function unsupportedFilter(route: HTTPRoute | GRPCRoute, kind: RouteKind): string | undefined {
  for (const rule of (route.spec?.rules ?? []) as HTTPRouteRule[]) {
    for (const f of [...(rule.filters ?? []), ...(rule.backendRefs ?? []).flatMap((b) => b.filters ?? [])]) {
      if (!SUPPORTED_FILTERS.has(f.type) || (kind === 'GRPCRoute' && (f.type === 'RequestMirror' || f.type === 'CORS'))) return f.type;
    }
  }
  return undefined;
}

/** The addresses a Gateway asks for that the built-in gateway cannot give it (all but 127.0.0.1). */
const unsupportedAddresses = (gw: Gateway): Array<{ type?: string; value: string }> =>
  (gw.spec?.addresses ?? []).filter((a) => !((a.type ?? 'IPAddress') === 'IPAddress' && a.value === '127.0.0.1'));

/** The plan for everything of ours in the world. */
export function planGateways(w: GatewayWorld): GatewayPlan {
  const plan: GatewayPlan = { classes: new Map(), gateways: new Map(), routes: new Map(), attachments: [], certs: [], ports: new Map() };
  for (const c of w.classes) {
    if (c.spec?.controllerName !== FLOTILLA_GATEWAY_CONTROLLER) continue;
    plan.classes.set(c.metadata?.name ?? '', [cond('Accepted', true, 'Accepted', `Handled by ${FLOTILLA_GATEWAY_CONTROLLER}`, c.metadata?.generation)]);
  }
  const verdicts = new Map<string, { gw: Gateway; listeners: ListenerVerdict[]; attached: number[] }>();
  // The oldest Gateway's listener keeps a port; a later one on it with another protocol is in conflict.
  const owners = new Map<number, { scheme: PortScheme; by: string }>();
  for (const gw of [...w.gateways].sort(olderFirst)) {
    if (!plan.classes.has(gw.spec?.gatewayClassName ?? '')) continue;
    const k = key(gw.metadata?.namespace, gw.metadata?.name);
    const listeners = (gw.spec?.listeners ?? []).map((l) => judgeListener(w, gw, l));
    verdicts.set(k, { gw, listeners, attached: listeners.map(() => 0) });
    if (unsupportedAddresses(gw).length) continue;
    listeners.forEach((lv, i) => {
      if (!lv.usable) return;
      const scheme = portScheme(lv.listener);
      const owner = owners.get(lv.listener.port);
      if (!owner) { owners.set(lv.listener.port, { scheme, by: `listener ${lv.listener.name} of Gateway ${k}` }); return; }
      if (owner.scheme === scheme) return;
      const m = `port ${lv.listener.port} is served as ${owner.scheme} for ${owner.by}`;
      listeners[i] = { ...lv, usable: false, certs: [], conditions: lv.conditions.map((c) => (c.type === 'Conflicted'
        ? cond('Conflicted', true, 'ProtocolConflict', m, gw.metadata?.generation)
        : c.type === 'Programmed' ? cond('Programmed', false, 'Invalid', m, gw.metadata?.generation) : c)) };
    });
    for (const v of listeners) plan.certs.push(...v.certs);
  }
  const all: Array<{ kind: RouteKind; route: AnyRoute }> = [
    ...w.routes.map((route) => ({ kind: 'HTTPRoute' as const, route })),
    ...(w.grpcRoutes ?? []).map((route) => ({ kind: 'GRPCRoute' as const, route })),
    ...(w.tcpRoutes ?? []).map((route) => ({ kind: 'TCPRoute' as const, route })),
    ...(w.tlsRoutes ?? []).map((route) => ({ kind: 'TLSRoute' as const, route })),
  ];
  for (const { kind, route } of all) {
    const routeNs = route.metadata?.namespace ?? '';
    const gen = route.metadata?.generation;
    const parents: Array<Omit<RouteParentStatus, 'conditions'> & { conditions: PlannedCondition[] }> = [];
    const unsupported = kind === 'HTTPRoute' || kind === 'GRPCRoute' ? unsupportedFilter(route, kind) : undefined;
    const problem = backendRefsOf(route).map((b) => backendProblem(w, kind, routeNs, b)).find((p) => p !== undefined);
    const resolved = problem ? cond('ResolvedRefs', false, problem.reason, problem.message, gen) : cond('ResolvedRefs', true, 'ResolvedRefs', 'Resolved all the Object references for the Route', gen);
    for (const p of route.spec?.parentRefs ?? []) {
      if (!isGatewayRef(p)) continue;
      const v = verdicts.get(key(p.namespace ?? routeNs, p.name));
      if (!v) continue;
      const parentRef: ParentReference = { group: GATEWAY_GROUP, kind: 'Gateway', ...p };
      const accept = (reason: string, message: string, ok: boolean) => parents.push({ parentRef, controllerName: FLOTILLA_GATEWAY_CONTROLLER,
        conditions: [cond('Accepted', ok, reason, message, gen), resolved] });
      if (unsupported) { accept('UnsupportedValue', `filter type ${unsupported} is not supported by ${FLOTILLA_GATEWAY_CONTROLLER}`, false); continue; }
      const candidates = v.listeners.map((lv, i) => ({ lv, i })).filter(({ lv }) => (p.sectionName === undefined || lv.listener.name === p.sectionName)
        && (p.port === undefined || lv.listener.port === p.port));
      if (!candidates.length) {
        accept('NoMatchingParent', `no listener of Gateway ${key(v.gw.metadata?.namespace, v.gw.metadata?.name)} matches the parentRef's sectionName and port`, false);
        continue;
      }
      const allowed = candidates.filter(({ lv }) => lv.usable && lv.kinds.some((k) => k.kind === kind) && namespaceAllowed(w, v.gw, lv.listener, routeNs));
      if (!allowed.length) {
        const why = candidates.every(({ lv }) => !lv.kinds.some((k) => k.kind === kind)) ? ` (none of them takes a ${kind})` : '';
        accept('NotAllowedByListeners', `no listener the parentRef names allows this route${why}`, false);
        continue;
      }
      const withHosts = allowed.map((c) => ({ ...c, hostnames: intersectHostnames(c.lv.listener.hostname, route.spec?.hostnames) }))
        .filter((c) => c.hostnames.length > 0);
      if (!withHosts.length) { accept('NoMatchingListenerHostname', 'no listener hostname matches the route\'s hostnames', false); continue; }
      for (const c of withHosts) {
        v.attached[c.i] = (v.attached[c.i] ?? 0) + 1;
        const gateway = key(v.gw.metadata?.namespace, v.gw.metadata?.name);
        const base = { gateway, listener: c.lv.listener, hostnames: c.hostnames };
        plan.attachments.push(kind === 'HTTPRoute' ? { ...base, kind, route: route as HTTPRoute }
          : kind === 'GRPCRoute' ? { ...base, kind, route: route as GRPCRoute } : { ...base, kind, route: route });
      }
      accept('Accepted', 'Route is accepted', true);
    }
    if (parents.length) plan.routes.set(`${kind} ${key(routeNs, route.metadata?.name)}`, { kind, route, parents });
  }
  for (const [k, v] of verdicts) {
    const gen = v.gw.metadata?.generation;
    const allValid = v.listeners.every((l) => l.usable);
    const anyProgrammed = v.listeners.some((l) => l.usable);
    const addresses = unsupportedAddresses(v.gw);
    const conditions = addresses.length
      ? [cond('Accepted', false, 'UnsupportedAddress', `only the address 127.0.0.1 is served; ${addresses.map((a) => a.value).join(', ')} cannot be`, gen),
        cond('Programmed', false, 'AddressNotAssigned', 'the requested addresses cannot be assigned', gen)]
      : [allValid ? cond('Accepted', true, 'Accepted', 'Gateway accepted', gen) : cond('Accepted', true, 'ListenersNotValid', 'Some listeners are not valid', gen),
        anyProgrammed ? cond('Programmed', true, 'Programmed', 'Gateway programmed on the built-in proxy', gen) : cond('Programmed', false, 'Invalid', 'No listener is programmed', gen)];
    plan.gateways.set(k, { gateway: v.gw, conditions, listeners: v.listeners.map((lv, i) => ({
      name: lv.listener.name, supportedKinds: lv.kinds, attachedRoutes: v.attached[i] ?? 0, conditions: lv.conditions })) });
    if (addresses.length) {
      plan.attachments = plan.attachments.filter((a) => a.gateway !== k);
      continue;
    }
    for (const lv of v.listeners) {
      if (lv.usable && !plan.ports.has(lv.listener.port)) plan.ports.set(lv.listener.port, portScheme(lv.listener));
    }
  }
  return plan;
}
