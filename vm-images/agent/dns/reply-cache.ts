// A node-local cache of upstream DNS replies, as a node-local DNS cache keeps them: each reply for as long
// as its shortest TTL (a denial — NXDOMAIN or no data — for its SOA's negative TTL, RFC 2308), capped;
// TTLs counted down when served; truncated replies and failures never kept; least recently used
// entries evicted beyond a bound.
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';

export interface ReplyCacheOptions {
  /** Most replies kept (default 10,000). */
  maxEntries?: number;
  /** Longest a reply is kept, in seconds (default 3600; denials 1800). */
  maxTtlSeconds?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

interface Entry { reply: Buffer; storedAt: number; expiresAt: number }

type WithTtl = Answer & { ttl?: number };
type DecodedReply = DecodedPacket & { rcode?: string };

function records(p: DecodedPacket): WithTtl[] {
  return [...(p.answers ?? []), ...(p.authorities ?? []), ...(p.additionals ?? [])].filter((r) => r.type !== 'OPT');
}

/** How long a reply may be kept (seconds), or 0 when it must not be. */
function ttlOf(p: DecodedReply, maxTtl: number): number {
  if (p.flag_tc) return 0;
  const rcode = p.rcode ?? 'NOERROR';
  if (rcode === 'NOERROR' && (p.answers ?? []).length > 0) {
    return Math.min(maxTtl, ...records(p).map((r) => r.ttl ?? 0));
  }
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') return 0;
  // A denial: the SOA's own TTL bounded by its minimum field.
  const soa = (p.authorities ?? []).find((r) => r.type === 'SOA');
  if (!soa || soa.type !== 'SOA') return 0;
  return Math.min(maxTtl / 2, (soa as WithTtl).ttl ?? 0, soa.data.minimum ?? 0);
}

export class ReplyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly maxTtl: number;
  private readonly now: () => number;

  constructor(o: ReplyCacheOptions = {}) {
    this.max = o.maxEntries ?? 10_000;
    this.maxTtl = o.maxTtlSeconds ?? 3600;
    this.now = o.now ?? Date.now;
  }

  get size(): number { return this.entries.size; }

  /** The same query (its bytes after the ID, per transport) answers the same. */
  static key(query: Buffer, tcp: boolean): string {
    return query.length > 2 ? `${tcp ? 't' : 'u'}${query.toString('latin1', 2)}` : '';
  }

  /** The cached reply to `query` with its ID and TTLs counted down, if one is still fresh. */
  get(query: Buffer, tcp: boolean): Buffer | undefined {
    const key = ReplyCache.key(query, tcp);
    const e = key ? this.entries.get(key) : undefined;
    if (!e) return undefined;
    const now = this.now();
    if (now >= e.expiresAt) { this.entries.delete(key); return undefined; }
    this.entries.delete(key); // most recently used last
    this.entries.set(key, e);
    const elapsed = Math.floor((now - e.storedAt) / 1000);
    const p = packet.decode(e.reply);
    if (elapsed > 0) for (const r of records(p)) if (r.ttl !== undefined) r.ttl = Math.max(0, r.ttl - elapsed);
    p.id = query.readUInt16BE(0);
    return packet.encode(p);
  }

  /** Keeps an upstream's reply to `query` for its TTL (nothing when it may not be cached). */
  put(query: Buffer, tcp: boolean, reply: Buffer): void {
    const key = ReplyCache.key(query, tcp);
    if (!key) return;
    let p: DecodedReply;
    try { p = packet.decode(reply); } catch { return; }
    const ttl = ttlOf(p, this.maxTtl);
    if (ttl <= 0) return;
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { reply: Buffer.from(reply), storedAt: now, expiresAt: now + ttl * 1000 });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
