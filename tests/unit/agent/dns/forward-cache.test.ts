// The forwarder's cache of upstream replies against a real upstream on loopback that counts the queries
// it gets: a reply kept for its TTL (counted down when served, the client's ID set), a denial for its
// SOA's negative TTL, failures and truncated replies never kept, and a bound on the entries.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forwarder } from '../../../../vm-images/agent/dns/forward';
import { ReplyCache } from '../../../../vm-images/agent/dns/reply-cache';

type Reply = DecodedPacket & { rcode: string };
const SOA: Answer = {
  type: 'SOA', name: 'example.org', ttl: 600,
  data: { mname: 'ns.example.org', rname: 'admin.example.org', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 },
};

describe('forwarder reply cache', () => {
  let upstream: Socket;
  let dir = '';
  const asked: string[] = [];
  let now = 1_000_000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flt-dns-cache-'));
    upstream = createSocket('udp4');
    upstream.on('message', (m, rinfo) => {
      const q = packet.decode(m);
      const question = q.questions![0];
      asked.push(question.name);
      const base = { type: 'response' as const, id: q.id, questions: [question] };
      const reply = question.name.startsWith('a.')
        ? { ...base, flags: packet.RECURSION_AVAILABLE, answers: [{ type: 'A' as const, name: question.name, ttl: 60, data: '192.0.2.1' }, { type: 'A' as const, name: question.name, ttl: 20, data: '192.0.2.2' }] }
        : question.name === 'missing.example.org' ? { ...base, flags: packet.RECURSION_AVAILABLE | 3, authorities: [SOA] }
          : question.name === 'big.example.org' ? { ...base, flags: packet.RECURSION_AVAILABLE | packet.TRUNCATED_RESPONSE }
            : { ...base, flags: packet.RECURSION_AVAILABLE | 2 }; // SERVFAIL
      upstream.send(packet.encode(reply), rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', r));
    writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  });

  afterAll(() => {
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const forwarder = (maxEntries?: number): Forwarder => new Forwarder({
    resolvConf: join(dir, 'resolv.conf'), exclude: [], port: upstream.address().port, cache: new ReplyCache({ now: () => now, maxEntries }),
  });
  const query = (name: string, id: number): Buffer => packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });
  const ask = async (f: Forwarder, name: string, id = 1): Promise<Reply> => {
    const r = await f.forward(query(name, id), false);
    if (!r) throw new Error(`no reply for ${name}`);
    return packet.decode(r) as Reply;
  };
  const count = (name: string): number => asked.filter((n) => n === name).length;
  const ttlAndData = (r: Reply): Array<[number | undefined, string]> =>
    (r.answers ?? []).map((a) => [a.type === 'OPT' ? undefined : a.ttl, a.type === 'A' ? a.data : '']);

  it('answers a repeated query from the cache until its shortest TTL runs out, TTLs counted down', async () => {
    const f = forwarder();
    const first = await ask(f, 'a.example.org', 1);
    expect(ttlAndData(first).map(([ttl]) => ttl)).toEqual([60, 20]);
    now += 5_000;
    const second = await ask(f, 'a.example.org', 2);
    expect(count('a.example.org')).toBe(1);
    expect(second).toMatchObject({ id: 2, rcode: 'NOERROR' });
    expect(ttlAndData(second)).toEqual([[55, '192.0.2.1'], [15, '192.0.2.2']]);
    now += 15_000; // 20 s after it was stored: stale
    await ask(f, 'a.example.org', 3);
    expect(count('a.example.org')).toBe(2);
  });

  it('keeps a denial for its SOA\'s negative TTL; never a failure or a truncated reply', async () => {
    const f = forwarder();
    expect((await ask(f, 'missing.example.org')).rcode).toBe('NXDOMAIN');
    now += 29_000;
    expect((await ask(f, 'missing.example.org')).rcode).toBe('NXDOMAIN');
    expect(count('missing.example.org')).toBe(1);
    now += 1_000;
    await ask(f, 'missing.example.org');
    expect(count('missing.example.org')).toBe(2);
    for (const name of ['fail.example.org', 'big.example.org']) {
      await ask(f, name);
      await ask(f, name);
      expect(count(name)).toBe(2);
    }
  });

  it('keeps at most maxEntries replies, dropping the least recently used', async () => {
    const f = forwarder(2);
    await ask(f, 'a.one.org');
    await ask(f, 'a.two.org');
    await ask(f, 'a.one.org'); // one is now the most recently used
    await ask(f, 'a.three.org'); // evicts two
    await ask(f, 'a.one.org');
    await ask(f, 'a.two.org');
    expect([count('a.one.org'), count('a.two.org'), count('a.three.org')]).toEqual([1, 2, 1]);
  });
});
