// What the proxy does with a request under the Gateway API (no I/O): nothing (no Gateway listener of the
// request's protocol takes its host: the Ingresses decide), answer it itself (404 when no rule matches, a redirect,
// 500 when the rule's backend is invalid or it has none, as the Gateway API requires; a CORS preflight), or forward it to a Service
// port with its request and response headers, path and host as the rule's filters leave them, and copies for the
// rule's mirrors.
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Target } from '../../tunnel/endpoints';
import type { GatewayPlan } from './attach';
import type { BackendTls } from './backend-tls';
import { granted } from './attach';
import { corsHeaders, preflightHeaders } from './cors';
import { modifiedPath, modifyHeaders, pickBackend, redirectLocation, type Headers } from './filters';
import { chooseRoute, type RouteChoice } from './match';
import { GATEWAY_GROUP, type BackendObjectReference, type HeaderModifier, type HTTPRouteFilter, type RouteKind } from './types';

export interface ServiceBackend { namespace: string; name: string; port: number }

export type GatewayDecision =
  | { kind: 'none' }
  | { kind: 'reply'; status: number; body: string; headers?: Record<string, string>; catchAll?: boolean }
  | {
    kind: 'forward';
    /** Only a listener and route without hostnames took the request (the proxy's own ports leave such to a matching Ingress rule). */
    catchAll?: boolean;
    backend: ServiceBackend;
    /** The route, for messages (`namespace/name`). */
    route: string;
    path: string;
    headers: Headers;
    responseHeaders: HeaderModifier[];
    mirrors: Array<{ backend: ServiceBackend; percent: number }>;
    /** The rule's timeouts (the shorter of request and backendRequest): a 504 when the pod has not answered by then. */
    timeoutMs?: number;
  };

export interface GatewayRequest {
  scheme: 'http' | 'https';
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The port the connection came in on. */
  localPort: number;
  /** Set when it came in on a listener's own port (ports.ts): only that port's listeners take it. */
  listenerPort?: number;
}

/** A backend a route of `kind` may use: a core Service in its namespace, or in another one a ReferenceGrant opens. */
export function serviceBackend(grants: GatewayGrants, kind: RouteKind, routeNs: string, ref: BackendObjectReference): ServiceBackend | undefined {
  if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service' || ref.port === undefined) return undefined;
  const namespace = ref.namespace ?? routeNs;
  if (!granted(grants.grants, { group: GATEWAY_GROUP, kind, namespace: routeNs }, { group: '', kind: 'Service', namespace, name: ref.name })) return undefined;
  if (!grants.serviceExists(namespace, ref.name)) return undefined;
  return { namespace, name: ref.name, port: ref.port };
}

/** What the TCP, TLS and gRPC forwarders need: the plan, the grants, a pod behind a Service port, a tunnel to it. */
export interface BackendDeps {
  plan(): GatewayPlan;
  grants(): GatewayGrants;
  /** A ready pod behind a Service port, or why there is none. */
  pick(b: ServiceBackend): Target | { problem: string };
  dial(t: Target): Promise<Duplex>;
  log(l: string): void;
  /** The BackendTLSPolicy taking a backend (TLS to its pods), if any. */
  tlsFor?(b: ServiceBackend): BackendTls | undefined;
}

export interface GatewayGrants {
  grants: Parameters<typeof granted>[0];
  serviceExists(namespace: string, name: string): boolean;
}

function hostAndPort(hostHeader: string | undefined, fallbackPort: number): { host: string; port: number } {
  const h = (hostHeader ?? '').trim().toLowerCase();
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(h);
  return { host: m?.[1] ?? h, port: m?.[2] ? Number(m[2]) : fallbackPort };
}

interface FilterState {
  /** The request as it came (the CORS filter reads its Origin and preflight headers). */
  method: string;
  incoming: IncomingHttpHeaders;
  headers: Headers;
  path: string;
  responseHeaders: HeaderModifier[];
  mirrors: Array<{ ref: BackendObjectReference; percent: number }>;
}

const single = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** A Gateway API duration (`1h`, `10s`, `1m30s`, `500ms`) in milliseconds; 0 for `0s` or none. */
export function durationMs(d: string | undefined): number {
  let ms = 0;
  for (const m of (d ?? '').matchAll(/(\d+)(h|ms|m|s)/g)) ms += Number(m[1]) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'h' | 'm' | 's' | 'ms']);
  return ms;
}

/** Applies the filters of one list to the request; returns a reply when a redirect or a CORS preflight ends it. */
function applyFilters(filters: readonly HTTPRouteFilter[] | undefined, st: FilterState, redirect: (f: NonNullable<HTTPRouteFilter['requestRedirect']>) => GatewayDecision,
  match: Parameters<typeof modifiedPath>[2]): GatewayDecision | undefined {
  for (const f of filters ?? []) {
    if (f.type === 'RequestHeaderModifier') modifyHeaders(st.headers, f.requestHeaderModifier);
    else if (f.type === 'ResponseHeaderModifier' && f.responseHeaderModifier) st.responseHeaders.push(f.responseHeaderModifier);
    else if (f.type === 'RequestRedirect' && f.requestRedirect) return redirect(f.requestRedirect);
    else if (f.type === 'URLRewrite' && f.urlRewrite) {
      if (f.urlRewrite.hostname) st.headers.host = f.urlRewrite.hostname;
      st.path = modifiedPath(st.path, f.urlRewrite.path, match);
    } else if (f.type === 'CORS' && f.cors) {
      const origin = single(st.incoming.origin);
      const requested = single(st.incoming['access-control-request-method']);
      if (st.method === 'OPTIONS' && origin !== undefined && requested !== undefined) {
        return { kind: 'reply', status: 204, body: '', headers: preflightHeaders(f.cors, origin, requested, single(st.incoming['access-control-request-headers'])) };
      }
      const cors = corsHeaders(f.cors, origin);
      if (Object.keys(cors).length) st.responseHeaders.push({ set: Object.entries(cors).map(([name, value]) => ({ name, value })) });
    } else if (f.type === 'RequestMirror' && f.requestMirror) {
      const fr = f.requestMirror.fraction;
      const percent = fr ? (fr.numerator / (fr.denominator ?? 100)) * 100 : (f.requestMirror.percent ?? 100);
      st.mirrors.push({ ref: f.requestMirror.backendRef, percent });
    }
  }
  return undefined;
}

/** The gateway's decision for a request. */
export function decide(plan: GatewayPlan, grants: GatewayGrants, r: GatewayRequest): GatewayDecision {
  if (plan.attachments.length === 0) return { kind: 'none' };
  const { host, port } = hostAndPort(r.headers.host, r.localPort);
  const q = r.url.indexOf('?');
  const path = q < 0 ? r.url : r.url.slice(0, q);
  const search = q < 0 ? '' : r.url.slice(q);
  const header = (name: string): string | undefined => {
    const v = r.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const { choice, hostMatched, catchAll } = chooseRoute(plan.attachments, {
    protocol: r.scheme === 'https' ? 'HTTPS' : 'HTTP', listenerPort: r.listenerPort, host, path, method: r.method, header, query: new URLSearchParams(search),
  });
  if (!hostMatched) return { kind: 'none' };
  const d = decideRule(grants, r, choice, { host, port, path, search });
  return catchAll && d.kind !== 'none' ? { ...d, catchAll } : d;
}

function decideRule(grants: GatewayGrants, r: GatewayRequest, choice: RouteChoice | undefined,
  { host, port, path, search }: { host: string; port: number; path: string; search: string }): GatewayDecision {
  if (!choice) return { kind: 'reply', status: 404, body: `404 Not Found: no HTTPRoute rule matches host "${host}" and path "${path}"\n` };
  const routeNs = choice.route.metadata?.namespace ?? '';
  const routeName = `${routeNs}/${choice.route.metadata?.name ?? ''}`;
  const st: FilterState = { method: r.method, incoming: r.headers, headers: { ...r.headers }, path, responseHeaders: [], mirrors: [] };
  const redirect = (f: NonNullable<HTTPRouteFilter['requestRedirect']>): GatewayDecision => ({
    kind: 'reply', status: f.statusCode ?? 302, body: '', headers: { location: redirectLocation(f, { scheme: r.scheme, host, port, path, search }, choice.match) },
  });
  const early = applyFilters(choice.rule.filters, st, redirect, choice.match);
  if (early) return early;
  const picked = pickBackend(choice.rule.backendRefs);
  if (!picked) return { kind: 'reply', status: 500, body: `500 Internal Server Error: rule ${choice.ruleIndex} of HTTPRoute ${routeName} has no backend to send the request to\n` };
  const backend = serviceBackend(grants, 'HTTPRoute', routeNs, picked);
  if (!backend) {
    const what = `backendRef ${picked.kind ?? 'Service'} ${picked.namespace ?? routeNs}/${picked.name}`;
    return { kind: 'reply', status: 500, body: `500 Internal Server Error: ${what} of HTTPRoute ${routeName} is not valid (see the route's ResolvedRefs condition)\n` };
  }
  const late = applyFilters(picked.filters, st, redirect, choice.match);
  if (late) return late;
  const mirrors = st.mirrors.flatMap((m) => {
    const b = serviceBackend(grants, 'HTTPRoute', routeNs, m.ref);
    return b ? [{ backend: b, percent: m.percent }] : [];
  });
  const limits = [durationMs(choice.rule.timeouts?.request), durationMs(choice.rule.timeouts?.backendRequest)].filter((ms) => ms > 0);
  return { kind: 'forward', backend, route: routeName, path: `${st.path}${search}`, headers: st.headers, responseHeaders: st.responseHeaders, mirrors,
    ...(limits.length ? { timeoutMs: Math.min(...limits) } : {}) };
}
