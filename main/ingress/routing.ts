// Which backend an HTTP request goes to, as Kubernetes defines Ingress routing (pure: no I/O).
// Hosts: an exact host beats a wildcard (`*.foo.com` matches one label: bar.foo.com, not baz.bar.foo.com), which
// beats a rule without a host; the most specific host with a matching path wins. Paths: the longest match wins and
// Exact beats Prefix of the same length; Prefix matches whole path elements (/foo matches /foo and /foo/bar, not
// /foobar; a trailing slash is ignored); ImplementationSpecific is matched as Prefix here. Across Ingresses the
// oldest wins a conflict (as ingress-nginx orders them), and the oldest spec.defaultBackend takes what nothing matched.
import type { HTTPIngressPath, Ingress, IngressBackend } from '../api/types';

export interface Route {
  /** The Ingress that declared it (`namespace/name`): backends are looked up in its namespace. */
  namespace: string;
  ingress: string;
  backend: IngressBackend;
}

interface PathRoute extends Route {
  exact: boolean;
  /** The path as declared (Exact compares it with the request's, character for character). */
  path: string;
  /** The path's elements (`/foo/bar/` → ['foo', 'bar']; `/` → []). */
  elements: string[];
  length: number;
}

export interface RouteTable {
  exact: Map<string, PathRoute[]>;
  /** By the wildcard's suffix (`*.foo.com` → `foo.com`). */
  wildcard: Map<string, PathRoute[]>;
  anyHost: PathRoute[];
  defaultBackend?: Route;
  /** TLS secrets by host (exact, or `*.`-prefixed wildcard): the first Ingress (oldest) to name a host wins. */
  tls: Map<string, { namespace: string; secretName: string }>;
}

const elementsOf = (path: string): string[] => path.split('/').filter((e) => e !== '');

interface Aged { metadata?: { creationTimestamp?: string; namespace?: string; name?: string } }

/**
 * Older objects first, then by namespace/name: how conflicts between Ingresses (as ingress-nginx orders them) and
 * between Gateway API routes (as the Gateway API requires) are settled.
 */
export function olderFirst(a: Aged, b: Aged): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function pathRoute(p: HTTPIngressPath, namespace: string, ingress: string): PathRoute {
  const path = p.path || '/';
  const exact = p.pathType === 'Exact';
  return { namespace, ingress, backend: p.backend, exact, path, elements: elementsOf(path), length: exact ? path.length : path.replace(/\/+$/, '').length };
}

function add(map: Map<string, PathRoute[]>, key: string, routes: PathRoute[]): void {
  const list = map.get(key);
  if (list) list.push(...routes);
  else map.set(key, [...routes]);
}

/** The route table of the Ingresses a proxy serves. */
export function buildRoutes(ingresses: readonly Ingress[]): RouteTable {
  const table: RouteTable = { exact: new Map(), wildcard: new Map(), anyHost: [], tls: new Map() };
  for (const ing of [...ingresses].sort(olderFirst)) {
    const namespace = ing.metadata?.namespace ?? 'default';
    const name = `${namespace}/${ing.metadata?.name ?? ''}`;
    const spec = ing.spec ?? {};
    if (spec.defaultBackend && !table.defaultBackend) table.defaultBackend = { namespace, ingress: name, backend: spec.defaultBackend };
    for (const rule of spec.rules ?? []) {
      const routes = (rule.http?.paths ?? []).map((p) => pathRoute(p, namespace, name));
      const host = (rule.host ?? '').toLowerCase();
      if (!host) table.anyHost.push(...routes);
      else if (host.startsWith('*.')) add(table.wildcard, host.slice(2), routes);
      else add(table.exact, host, routes);
    }
    for (const t of spec.tls ?? []) {
      if (!t.secretName) continue;
      for (const h of t.hosts ?? []) if (!table.tls.has(h.toLowerCase())) table.tls.set(h.toLowerCase(), { namespace, secretName: t.secretName });
    }
  }
  return table;
}

/** Whether a route matches the request path (`request`: its elements). */
function matches(r: PathRoute, requestPath: string, request: string[]): boolean {
  if (r.exact) return requestPath === r.path;
  if (r.elements.length > request.length) return false;
  return r.elements.every((e, i) => e === request[i]);
}

function bestPath(routes: readonly PathRoute[], requestPath: string): PathRoute | undefined {
  const request = elementsOf(requestPath);
  let best: PathRoute | undefined;
  for (const r of routes) {
    if (!matches(r, requestPath, request)) continue;
    // Longest first; on a tie Exact beats Prefix; otherwise the first (oldest Ingress, declaration order) stays.
    if (!best || r.length > best.length || (r.length === best.length && r.exact && !best.exact)) best = r;
  }
  return best;
}

/** The host a request names, lower-cased, without a port (`Shop.localhost:8080` → `shop.localhost`; `[::1]:80` → `[::1]`). */
export function requestHost(hostHeader: string | undefined): string {
  const h = (hostHeader ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** The request's path without query or fragment. */
export function requestPath(url: string | undefined): string {
  const u = url ?? '/';
  const end = u.search(/[?#]/);
  return end < 0 ? u : u.slice(0, end);
}

/** The wildcard key a host falls under (`bar.foo.com` → `foo.com`), or undefined for a single label. */
function wildcardKey(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot < 0 ? undefined : host.slice(dot + 1);
}

/** The route of a request, or undefined when nothing (not even a default backend) takes it. */
export function route(table: RouteTable, host: string, path: string): Route | undefined {
  const wild = wildcardKey(host);
  const groups = [table.exact.get(host), wild === undefined ? undefined : table.wildcard.get(wild), table.anyHost];
  for (const g of groups) {
    const hit = g && bestPath(g, path);
    if (hit) return { namespace: hit.namespace, ingress: hit.ingress, backend: hit.backend };
  }
  return table.defaultBackend;
}

/** The TLS secret for a server name (SNI): an exact host first, then its wildcard. */
export function tlsSecretFor(table: RouteTable, serverName: string): { namespace: string; secretName: string } | undefined {
  const host = serverName.toLowerCase();
  const wild = wildcardKey(host);
  return table.tls.get(host) ?? (wild === undefined ? undefined : table.tls.get(`*.${wild}`));
}
