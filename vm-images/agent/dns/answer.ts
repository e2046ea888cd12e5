// Answers one DNS question from the cluster's records (zone.ts) and the node's own names
// (host.flotilla.internal), or says it belongs upstream. Inside the cluster zone the answer is
// authoritative: the records, NODATA (NOERROR, no answers, the SOA in authority) for an existing
// name without records of the asked type (AAAA: the cluster is IPv4), NXDOMAIN with the SOA for an
// unknown name. An ExternalName's CNAME carries a `chase` for the server to resolve its target.
import type { Answer, Question, RecordType } from 'dns-packet';
import { podRecordIP, reverseName, type Zone } from './zone';

export const TTL = 5;

export interface AnswerContext {
  zone: Zone;
  /** Names outside the zone answered here (host.flotilla.internal → the host's address), lowercase. */
  hosts: ReadonlyMap<string, string>;
  /** The cluster DNS address (the zone's NS, ns.dns.<zone>). */
  dnsIP: string;
  /** SOA serial: changes when the records do. */
  serial: number;
}

export interface Answered {
  kind: 'answer';
  rcode: 'NOERROR' | 'NXDOMAIN';
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** A CNAME target outside the zone whose records of the asked type should follow the CNAME. */
  chase?: string;
}

export type Outcome = Answered | { kind: 'forward' };

function soa(ctx: AnswerContext): Answer {
  const d = ctx.zone.domain;
  return {
    type: 'SOA', name: d, ttl: TTL, class: 'IN',
    data: { mname: `ns.dns.${d}`, rname: `hostmaster.${d}`, serial: ctx.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
  };
}

function rr(type: 'A' | 'CNAME' | 'PTR', name: string, data: string): Answer {
  return { type, name, ttl: TTL, class: 'IN', data };
}

function ok(answers: Answer[], additionals: Answer[] = [], authoritative = true): Answered {
  return { kind: 'answer', rcode: 'NOERROR', authoritative, answers, authorities: [], additionals };
}

function negative(ctx: AnswerContext, rcode: 'NOERROR' | 'NXDOMAIN'): Answered {
  return { kind: 'answer', rcode, authoritative: true, answers: [], authorities: [soa(ctx)], additionals: [] };
}

/** Whether a question of type `q` asks for records of type `t` (ANY, 255, is missing from dns-packet's type list). */
const wants = (q: RecordType, t: RecordType): boolean => q === t || (q as string) === 'ANY';

/** The records of `name` (lowercase, no trailing dot) in the zone for question type `type`; `qname` is echoed as the owner. */
function zoneRecords(ctx: AnswerContext, qname: string, name: string, type: RecordType): { answers: Answer[]; additionals: Answer[] } {
  const z = ctx.zone;
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  if (wants(type, 'A')) {
    const pod = podRecordIP(z, name);
    for (const ip of z.a.get(name) ?? (pod ? [pod] : [])) answers.push(rr('A', qname, ip));
    if (name === `ns.dns.${z.domain}`) answers.push(rr('A', qname, ctx.dnsIP));
  }
  if (wants(type, 'SRV')) {
    for (const s of z.srv.get(name) ?? []) {
      answers.push({ type: 'SRV', name: qname, ttl: TTL, class: 'IN', data: { priority: s.priority, weight: s.weight, port: s.port, target: s.target } });
      for (const ip of z.a.get(s.target) ?? []) additionals.push(rr('A', s.target, ip));
    }
  }
  if (wants(type, 'TXT')) for (const t of z.txt.get(name) ?? []) answers.push({ type: 'TXT', name: qname, ttl: TTL, class: 'IN', data: t });
  if (name === z.domain) {
    if (wants(type, 'SOA')) answers.push({ ...soa(ctx), name: qname });
    if (wants(type, 'NS')) {
      answers.push({ type: 'NS', name: qname, ttl: TTL, class: 'IN', data: `ns.dns.${z.domain}` });
      additionals.push(rr('A', `ns.dns.${z.domain}`, ctx.dnsIP));
    }
  }
  return { answers, additionals };
}

function inZone(z: Zone, name: string): boolean {
  return name === z.domain || name.endsWith(`.${z.domain}`);
}

function reverse(ctx: AnswerContext, qname: string, name: string, type: RecordType): Outcome {
  const ip = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.');
  const target = ctx.zone.ptr.get(ip);
  if (!target || reverseName(ip) !== name) return { kind: 'forward' };
  return wants(type, 'PTR') ? ok([rr('PTR', qname, target)]) : negative(ctx, 'NOERROR');
}

export function answer(ctx: AnswerContext, q: Question): Outcome {
  const qname = q.name.replace(/\.$/, '');
  const name = qname.toLowerCase();
  const z = ctx.zone;
  if (q.class !== undefined && q.class !== 'IN' && q.class !== 'ANY') return { kind: 'forward' };
  if (name.endsWith('.in-addr.arpa')) return reverse(ctx, qname, name, q.type);
  const host = ctx.hosts.get(name);
  if (host !== undefined) return ok(wants(q.type, 'A') ? [rr('A', qname, host)] : []);
  if (!inZone(z, name)) return { kind: 'forward' };
  const cname = z.cname.get(name);
  if (cname !== undefined) {
    const head = rr('CNAME', qname, cname);
    if (q.type === 'CNAME') return ok([head]);
    if (!inZone(z, cname)) return { ...ok([head]), chase: cname };
    const rest = zoneRecords(ctx, cname, cname, q.type);
    return ok([head, ...rest.answers], rest.additionals);
  }
  const { answers, additionals } = zoneRecords(ctx, qname, name, q.type);
  if (answers.length) return ok(answers, additionals);
  if (z.names.has(name) || podRecordIP(z, name) !== undefined) return negative(ctx, 'NOERROR');
  return negative(ctx, 'NXDOMAIN');
}
