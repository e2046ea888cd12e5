// Which GRPCRoute rule a gRPC call takes (pure), as the Gateway API orders them: among the GRPCRoutes attached to the
// HTTP listeners the call came through, the most specific hostname; then the match with the longest service, then
// the longest method, then the most header matches; on a tie the oldest route, then namespace/name, then rule and
// match order. A method match compares the call's path `/<service>/<method>`: Exact by the parts it names,
// RegularExpression (RE2) by each part in full; a rule without matches takes every call.
import type { Attachment } from './attach';
import { olderFirst } from '../routing';
import { hostSpecificity } from './hostnames';
import { re2FullMatch } from './match';
import type { GRPCRoute, GRPCRouteMatch, GRPCRouteRule } from './types';

export interface GrpcCall {
  host: string;
  /** `/<service>/<method>`. */
  path: string;
  /** Header values by lower-case name. */
  header(name: string): string | undefined;
  listenerPort?: number;
}

export interface GrpcChoice { route: GRPCRoute; rule: GRPCRouteRule; ruleIndex: number }

function split(path: string): { service: string; method: string } | undefined {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? { service: m[1] ?? '', method: m[2] ?? '' } : undefined;
}

function matches(m: GRPCRouteMatch, call: GrpcCall): boolean {
  const want = m.method;
  if (want && (want.service || want.method)) {
    const parts = split(call.path);
    if (!parts) return false;
    const same = (pattern: string | undefined, value: string): boolean =>
      pattern === undefined || ((want.type ?? 'Exact') === 'Exact' ? pattern === value : re2FullMatch(pattern, value));
    if (!same(want.service, parts.service) || !same(want.method, parts.method)) return false;
  }
  for (const h of m.headers ?? []) {
    const v = call.header(h.name.toLowerCase());
    if (v === undefined || ((h.type ?? 'Exact') === 'Exact' ? v !== h.value : !re2FullMatch(h.value, v))) return false;
  }
  return true;
}

const rank = (m: GRPCRouteMatch): number[] => [m.method?.service?.length ?? 0, m.method?.method?.length ?? 0, m.headers?.length ?? 0];

/** The rule a call takes; `hostMatched` tells whether any GRPCRoute's hostname took the host at all. */
export function chooseGrpcRoute(attachments: readonly Attachment[], call: GrpcCall): { choice?: GrpcChoice; hostMatched: boolean } {
  let best = -1;
  let group: GRPCRoute[] = [];
  for (const a of attachments) {
    if (a.kind !== 'GRPCRoute' || (call.listenerPort !== undefined && a.listener.port !== call.listenerPort)) continue;
    const s = Math.max(...a.hostnames.map((h) => hostSpecificity(h, call.host)));
    if (s < 0 || s < best) continue;
    if (s > best) { best = s; group = []; }
    if (!group.includes(a.route)) group.push(a.route);
  }
  if (best < 0) return { hostMatched: false };
  let choice: (GrpcChoice & { rank: number[] }) | undefined;
  for (const route of group) {
    (route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      for (const m of rule.matches?.length ? rule.matches : [{}]) {
        if (!matches(m, call)) continue;
        const rk = rank(m);
        const d = choice ? rk.findIndex((x, i) => x !== choice!.rank[i]) : 0;
        const better = !choice || (d >= 0 && (rk[d] ?? 0) > (choice.rank[d] ?? 0)) || (d < 0 && olderFirst(route, choice.route) < 0);
        if (better) choice = { route, rule, ruleIndex, rank: rk };
      }
    });
  }
  return { choice, hostMatched: true };
}
