// The forwarder when upstreams fail, on real UDP sockets on loopback: with no upstream, a refusing one
// (closed port: ICMP port unreachable) or silent ones it gives up quickly (the responder then answers
// SERVFAIL), within one deadline; a failed upstream is skipped for a while in favour of one that answers.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import type { DecodedPacket } from 'dns-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Forwarder } from '../../../../vm-images/agent/dns/forward';

type Reply = DecodedPacket & { rcode: string };
const sockets: Socket[] = [];
let dir = '';

async function udp(address: string, port: number, answer: boolean): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  const asked: string[] = [];
  s.on('message', (m, rinfo) => {
    const q = packet.decode(m);
    asked.push(q.questions![0].name);
    if (!answer) return;
    const reply = { type: 'response' as const, id: q.id, flags: packet.RECURSION_AVAILABLE, questions: q.questions, answers: [{ type: 'A' as const, name: q.questions![0].name, ttl: 0, data: '192.0.2.7' }] };
    s.send(packet.encode(reply), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => s.bind(port, address, r));
  return Object.assign(s, { asked });
}
const askedOf = (s: Socket) => (s as Socket & { asked: string[] }).asked;

function forwarder(servers: string[], port: number): Forwarder {
  const conf = join(dir, `resolv-${servers.length}-${port}.conf`);
  writeFileSync(conf, servers.map((s) => `nameserver ${s}\n`).join(''));
  return new Forwarder({ resolvConf: conf, exclude: [], port, timeoutMs: 300, totalTimeoutMs: 500, retryDownMs: 60_000 });
}
const query = (name: string) => packet.encode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] });

async function timed(f: Forwarder, name: string): Promise<{ ms: number; reply?: Reply }> {
  const t0 = performance.now();
  const r = await f.forward(query(name), false);
  return { ms: performance.now() - t0, reply: r ? packet.decode(r) as Reply : undefined };
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flt-dns-up-')); });
afterEach(() => { for (const s of sockets.splice(0)) s.close(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('forwarder with failing upstreams', () => {
  it('gives up at once without upstreams', async () => {
    const r = await timed(forwarder([], 53), 'x.example.org');
    expect(r.reply).toBeUndefined();
    expect(r.ms).toBeLessThan(50);
  });

  it('gives up at once on a refusing upstream (closed port), without waiting for the timeout', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await timed(forwarder(['127.0.0.1'], port), 'x.example.org');
    expect(r.reply).toBeUndefined();
    expect(r.ms).toBeLessThan(250);
  });

  it('waits a silent upstream out once within the deadline, then skips it and asks the next one', async () => {
    const silent = await udp('127.0.0.1', 0, false);
    const port = silent.address().port;
    const good = await udp('127.0.0.2', port, true);
    const f = forwarder(['127.0.0.1', '127.0.0.2'], port);
    const first = await timed(f, 'a.example.org');
    expect(first.reply?.answers?.[0]).toMatchObject({ type: 'A', data: '192.0.2.7' });
    expect(first.ms).toBeGreaterThanOrEqual(250);
    const second = await timed(f, 'b.example.org');
    expect(second.reply?.answers?.[0]).toMatchObject({ data: '192.0.2.7' });
    expect(second.ms).toBeLessThan(250);
    expect(askedOf(silent)).toEqual(['a.example.org']);
    expect(askedOf(good)).toEqual(['a.example.org', 'b.example.org']);
  });

  it('gives up within the deadline when every upstream is silent, and at once while all of them are down', async () => {
    const a = await udp('127.0.0.1', 0, false);
    const port = a.address().port;
    await udp('127.0.0.2', port, false);
    await udp('127.0.0.3', port, false);
    const f = forwarder(['127.0.0.1', '127.0.0.2', '127.0.0.3'], port);
    const first = await timed(f, 'a.example.org');
    expect(first.reply).toBeUndefined();
    // Two upstreams fit in the 500 ms deadline (300 ms each at most), not three.
    expect(first.ms).toBeGreaterThanOrEqual(450);
    expect(first.ms).toBeLessThan(900);
    // The one not reached yet is tried next; then all are down.
    const second = await timed(f, 'b.example.org');
    expect(second.reply).toBeUndefined();
    expect(second.ms).toBeLessThan(450);
    const third = await timed(f, 'c.example.org');
    expect(third.reply).toBeUndefined();
    expect(third.ms).toBeLessThan(50);
  });
});
