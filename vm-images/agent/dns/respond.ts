// One DNS message in, one out (RFC 1035 over dns-packet): the cluster's answer (answer.ts), or the
// upstream's reply passed through, or SERVFAIL when no upstream answers; FORMERR for a message that
// does not parse, NOTIMP for opcodes other than QUERY. Replies over UDP that exceed the client's
// size (512 bytes, or its EDNS payload size) are truncated (TC) so that it retries over TCP.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { answer, type Answered, type AnswerContext } from './answer';
import type { Forwarder } from './forward';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
type Rcode = keyof typeof RCODE;
const EDNS_PAYLOAD = 1232;
/** Cached replies per generation of the records (a bound against clients asking for ever new names). */
const MAX_CACHED = 10_000;

export type Responder = (query: Buffer, tcp: boolean) => Promise<Buffer | undefined>;

function header(id: number, rd: boolean, rcode: Rcode, authoritative = false): Pick<Packet, 'type' | 'id' | 'flags'> {
  const flags = (authoritative ? packet.AUTHORITATIVE_ANSWER : 0) | (rd ? packet.RECURSION_DESIRED : 0) | packet.RECURSION_AVAILABLE | RCODE[rcode];
  return { type: 'response', id, flags };
}

function opt(query: DecodedPacket): { answer?: Answer; limit: number } {
  const o = query.additionals?.find((a) => a.type === 'OPT');
  if (!o || o.type !== 'OPT') return { limit: 512 };
  return { answer: { type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }, limit: Math.max(512, o.udpPayloadSize ?? 512) };
}

function bare(raw: Buffer, rcode: Rcode): Buffer | undefined {
  if (raw.length < 12) return undefined;
  return packet.encode({ ...header(raw.readUInt16BE(0), (raw[2] & 1) === 1, rcode), questions: [] });
}

/** Resolves an ExternalName's target upstream; the records that follow its CNAME (none when unresolved). */
async function chase(forwarder: Forwarder, name: string, q: Question, tcp: boolean): Promise<Answer[]> {
  const query = packet.encode({ type: 'query', id: Math.floor(Math.random() * 65536), flags: packet.RECURSION_DESIRED, questions: [{ name, type: q.type, class: 'IN' }] });
  const reply = await forwarder.forward(query, tcp);
  if (!reply) return [];
  try {
    const r = packet.decode(reply);
    return (r as DecodedPacket & { rcode?: string }).rcode === 'NOERROR' ? r.answers ?? [] : [];
  } catch {
    return [];
  }
}

function encode(query: DecodedPacket, q: Question, out: Answered, tcp: boolean, extra: Answer[]): Buffer {
  const { answer: edns, limit } = opt(query);
  const reply: Packet = {
    ...header(query.id ?? 0, query.flag_rd, out.rcode, out.authoritative),
    questions: [q],
    answers: [...out.answers, ...extra],
    authorities: out.authorities,
    additionals: [...out.additionals, ...(edns ? [edns] : [])],
  };
  const buf = packet.encode(reply);
  if (tcp || buf.length <= limit) return buf;
  return packet.encode({ ...reply, flags: (reply.flags ?? 0) | packet.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: edns ? [edns] : [] });
}

/**
 * The handler for one query; `context` is read per query (the records as they are now). Replies the
 * cluster answers itself are cached by the query's bytes after its ID (same question, flags and EDNS:
 * the same reply) until the records change (a new context), so a repeated query is a map lookup.
 */
export function responder(context: () => AnswerContext, forwarder: Forwarder): Responder {
  let cached: AnswerContext | undefined;
  const replies = new Map<string, Buffer>();
  return async (raw, tcp) => {
    const ctx = context();
    if (ctx !== cached) { replies.clear(); cached = ctx; }
    const key = raw.length > 2 ? `${tcp ? 't' : 'u'}${raw.toString('latin1', 2)}` : '';
    const hit = replies.get(key);
    if (hit) {
      const reply = Buffer.from(hit);
      reply.writeUInt16BE(raw.readUInt16BE(0), 0);
      return reply;
    }
    let query: DecodedPacket;
    try {
      query = packet.decode(raw);
    } catch {
      return bare(raw, 'FORMERR');
    }
    if (query.type !== 'query') return undefined;
    if ((query as DecodedPacket & { opcode?: string }).opcode !== 'QUERY') return bare(raw, 'NOTIMP');
    const q = query.questions?.[0];
    if (!q) return bare(raw, 'FORMERR');
    const out = answer(ctx, q);
    if (out.kind === 'forward') return (await forwarder.forward(raw, tcp)) ?? servfail(query, q);
    if (out.chase) return encode(query, q, out, tcp, await chase(forwarder, out.chase, q, tcp));
    const reply = encode(query, q, out, tcp, []);
    if (key && replies.size < MAX_CACHED) replies.set(key, reply);
    return reply;
  };
}

function servfail(query: DecodedPacket, q: Question): Buffer {
  return packet.encode({ ...header(query.id ?? 0, query.flag_rd, 'SERVFAIL'), questions: [q] });
}
