// Which HTTPRoute rule a request takes (pure), as the Gateway API orders them: among the attachments of the
// request's listener protocol, the most specific hostname matching the request's host (an exact name, then longer
// wildcards, then routes without hostnames); then across all their rules' matches: an Exact path, then
// RegularExpression paths (a full match; the Gateway API leaves their place to implementations, this is Envoy
// Gateway's), then the longest PathPrefix (whole path elements: /foo matches /foo and /foo/bar, not /foobar), then a
// method match, then the most header matches, then the most query parameter matches; on a tie
// the oldest route, then the route's namespace/name, then the rule and match order.
import { RE2JS } from 're2js';
import type { Attachment } from './attach';
import { olderFirst } from '../routing';
import { hostSpecificity } from './hostnames';
import type { HTTPRoute, HTTPRouteMatch, HTTPRouteRule } from './types';

export interface RouteRequest {
  protocol: 'HTTP' | 'HTTPS';
  /** The listener port the request came in on; undefined on the proxy's own ports (which serve every listener). */
  listenerPort?: number;
  host: string;
  path: string;
  method: string;
  /** Header values by lower-case name. */
  header(name: string): string | undefined;
  query: URLSearchParams;
}

export interface RouteChoice {
  route: HTTPRoute;
  rule: HTTPRouteRule;
  ruleIndex: number;
  /** The match that took the request (the default `PathPrefix /` when the rule has none). */
  match: HTTPRouteMatch;
}

const DEFAULT_MATCH: HTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };

// Regular expressions are RE2's, as Go and Envoy read them: linear time, so no route can stall the proxy (and with it
// the control plane) on a crafted path; one that RE2 does not accept matches nothing.
const regexCache = new Map<string, RE2JS | null>();
export function re2FullMatch(pattern: string, s: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try { re = RE2JS.compile(pattern); } catch { re = null; }
    regexCache.set(pattern, re);
  }
  return re?.matches(s) ?? false;
}

/** Whether a PathPrefix value matches a path by whole elements (a trailing slash of the prefix is ignored). */
export function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '') return true;
  return path === p || path.startsWith(`${p}/`);
}

function pathMatches(m: HTTPRouteMatch, path: string): boolean {
  const type = m.path?.type ?? 'PathPrefix';
  const value = m.path?.value ?? '/';
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return re2FullMatch(value, path);
  return prefixMatches(value, path);
}

function matches(m: HTTPRouteMatch, r: RouteRequest): boolean {
  if (!pathMatches(m, r.path)) return false;
  if (m.method && m.method !== r.method) return false;
  for (const h of m.headers ?? []) {
    const v = r.header(h.name.toLowerCase());
    if (v === undefined || ((h.type ?? 'Exact') === 'Exact' ? v !== h.value : !re2FullMatch(h.value, v))) return false;
  }
  for (const q of m.queryParams ?? []) {
    const v = r.query.get(q.name);
    if (v === null || ((q.type ?? 'Exact') === 'Exact' ? v !== q.value : !re2FullMatch(q.value, v))) return false;
  }
  return true;
}

/** The precedence of a match, compared element by element (larger first). */
function rank(m: HTTPRouteMatch): number[] {
  const type = m.path?.type ?? 'PathPrefix';
  const length = (m.path?.value ?? '/').length;
  return [type === 'Exact' ? 3 : type === 'RegularExpression' ? 2 : 1, length, m.method ? 1 : 0, m.headers?.length ?? 0, m.queryParams?.length ?? 0];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * The rule a request takes; `hostMatched` tells whether any attachment's hostname took the host at all, `catchAll`
 * whether only hostname-less ones did.
 */
export function chooseRoute(attachments: readonly Attachment[], r: RouteRequest): { choice?: RouteChoice; hostMatched: boolean; catchAll?: boolean } {
  let best = -1;
  let group: Array<Attachment & { kind: 'HTTPRoute' }> = [];
  for (const a of attachments) {
    if (a.kind !== 'HTTPRoute' || a.listener.protocol !== r.protocol || (r.listenerPort !== undefined && a.listener.port !== r.listenerPort)) continue;
    const s = Math.max(...a.hostnames.map((h) => hostSpecificity(h, r.host)));
    if (s < 0 || s < best) continue;
    if (s > best) { best = s; group = []; }
    group.push(a);
  }
  if (best < 0) return { hostMatched: false };
  let choice: (RouteChoice & { rank: number[] }) | undefined;
  const seen = new Set<HTTPRoute>();
  for (const a of group) {
    if (seen.has(a.route)) continue;
    seen.add(a.route);
    (a.route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      for (const m of rule.matches?.length ? rule.matches : [DEFAULT_MATCH]) {
        if (!matches(m, r)) continue;
        const rk = rank(m);
        const c = choice ? compareRanks(rk, choice.rank) : 1;
        if (c > 0 || (c === 0 && choice && olderFirst(a.route, choice.route) < 0)) choice = { route: a.route, rule, ruleIndex, match: m, rank: rk };
      }
    });
  }
  return { choice, hostMatched: true, catchAll: best === 0 };
}
