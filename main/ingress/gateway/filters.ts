// What an HTTPRoute rule does with a request it took (pure but for the weighted pick's random number): its
// filters as the Gateway API defines them — RequestHeaderModifier and ResponseHeaderModifier (set replaces, add
// appends with a comma, remove drops; names case-insensitive), RequestRedirect (scheme, hostname, port — the
// scheme's well-known port when only the scheme changes, left out of Location when it is the scheme's default —
// path by ReplaceFullPath or ReplacePrefixMatch, status 302 unless set), URLRewrite (hostname, path),
// RequestMirror — then one backendRef picked by weight (weight 0 never; none with weight: 500), with that
// backend's own filters.
import type { HeaderModifier, HTTPBackendRef, HTTPRouteFilter, HTTPRouteMatch, PathModifier } from './types';
import { prefixMatches } from './match';

export type Headers = Record<string, string | string[] | undefined>;

export function modifyHeaders(h: Headers, m: HeaderModifier | undefined): void {
  if (!m) return;
  for (const s of m.set ?? []) h[s.name.toLowerCase()] = s.value;
  for (const a of m.add ?? []) {
    const k = a.name.toLowerCase();
    const prior = h[k];
    h[k] = prior === undefined ? a.value : `${Array.isArray(prior) ? prior.join(',') : prior},${a.value}`;
  }
  for (const r of m.remove ?? []) delete h[r.toLowerCase()];
}

/** The path after a path modifier, for a request the match took. */
export function modifiedPath(path: string, m: PathModifier | undefined, match: HTTPRouteMatch): string {
  if (!m) return path;
  if (m.type === 'ReplaceFullPath') return m.replaceFullPath ?? '/';
  const prefix = (match.path?.value ?? '/').replace(/\/+$/, '');
  if (!prefixMatches(prefix, path)) return path;
  const rest = path.slice(prefix.length);
  const replaced = (m.replacePrefixMatch ?? '/').replace(/\/+$/, '') + rest;
  return replaced === '' ? '/' : replaced.startsWith('/') ? replaced : `/${replaced}`;
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443 };

export interface RequestFacts {
  scheme: 'http' | 'https';
  host: string;
  /** The port the client reached (from its Host header, else the listener's). */
  port: number;
  path: string;
  /** `?…` or ''. */
  search: string;
}

/** The Location of a RequestRedirect. */
export function redirectLocation(f: NonNullable<HTTPRouteFilter['requestRedirect']>, r: RequestFacts, match: HTTPRouteMatch): string {
  const scheme = f.scheme ?? r.scheme;
  const port = f.port ?? (f.scheme ? DEFAULT_PORT[f.scheme] : r.port);
  const host = f.hostname ?? r.host;
  const portPart = port === undefined || port === DEFAULT_PORT[scheme] ? '' : `:${port}`;
  return `${scheme}://${host}${portPart}${modifiedPath(r.path, f.path, match)}${r.search}`;
}

/** A backendRef picked by weight (default 1); undefined when every weight is 0 or there are none. */
export function pickBackend(refs: readonly HTTPBackendRef[] | undefined, random: () => number = Math.random): HTTPBackendRef | undefined {
  const weighted = (refs ?? []).filter((b) => (b.weight ?? 1) > 0);
  const total = weighted.reduce((n, b) => n + (b.weight ?? 1), 0);
  if (total === 0) return undefined;
  let x = random() * total;
  for (const b of weighted) {
    x -= b.weight ?? 1;
    if (x < 0) return b;
  }
  return weighted[weighted.length - 1];
}
