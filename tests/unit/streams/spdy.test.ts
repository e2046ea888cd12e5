// SPDY/3.1 framing, header blocks with the SPDY/3 zlib dictionary, and a client/server session pair.
import { Duplex } from 'node:stream';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from '../../../main/protocol/spdy/dictionary';
import {
  FrameParser, encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSettings, encodeSynReply, encodeSynStream, encodeWindowUpdate,
} from '../../../main/protocol/spdy/frames';
import { HeaderDeflater, HeaderInflater, decodeHeaderBlock, encodeHeaderBlock } from '../../../main/protocol/spdy/header-block';
import { SpdySession, type SpdyStream } from '../../../main/protocol/spdy/session';

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const x of buf) { a = (a + x) % 65521; b = (b + a) % 65521; }
  return ((b << 16) | a) >>> 0;
}

/** Two connected in-memory Duplexes. */
function pipePair(): [Duplex, Duplex] {
  const make = (): Duplex & { peer?: Duplex } => new Duplex({
    read() { /* pushed by the peer */ },
    write(chunk: Buffer, _enc, cb) { (this as Duplex & { peer?: Duplex }).peer?.push(chunk); cb(); },
    final(cb) { (this as Duplex & { peer?: Duplex }).peer?.push(null); cb(); },
  });
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

function readAll(s: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('end', () => resolve(out));
  });
}

describe('SPDY/3 dictionary', () => {
  it('has the spec\'s size and checksum (the DICTID zlib peers put in their header)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from([0, 0, 0, 7, ...Buffer.from('options')]));
    expect(SPDY3_DICTIONARY.toString('latin1').endsWith('utf-,*,enq=0.')).toBe(true);
    expect(adler32(SPDY3_DICTIONARY)).toBe(0xe3c6a7c2);
  });
});

describe('SPDY frames', () => {
  it('round-trip through the parser, whatever the chunking', () => {
    const wire = Buffer.concat([
      encodeSynStream(1, Buffer.from('hb'), { fin: true, priority: 3 }),
      encodeSynReply(1, Buffer.from('rb'), false),
      ...encodeData(1, Buffer.from('hello'), true),
      encodeRstStream(3, 5),
      encodeSettings([{ id: 7, value: 65536, flags: 1 }]),
      encodePing(2),
      encodeGoAway(9, 0),
      encodeWindowUpdate(1, 1000),
    ]);
    const whole = new FrameParser().push(wire);
    const p = new FrameParser();
    const bytewise = [...wire].flatMap((b) => p.push(Buffer.from([b])));
    expect(bytewise).toEqual(whole);
    expect(whole).toEqual([
      { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 3, fin: true, unidirectional: false, headerBlock: Buffer.from('hb') },
      { type: 'syn_reply', streamId: 1, fin: false, headerBlock: Buffer.from('rb') },
      { type: 'data', streamId: 1, fin: true, data: Buffer.from('hello') },
      { type: 'rst_stream', streamId: 3, status: 5 },
      { type: 'settings', entries: [{ flags: 1, id: 7, value: 65536 }] },
      { type: 'ping', id: 2 },
      { type: 'goaway', lastGoodStreamId: 9, status: 0 },
      { type: 'window_update', streamId: 1, delta: 1000 },
    ]);
  });

  it('writes the control frame header as SPDY/3 defines it', () => {
    const f = encodeRstStream(5, 5);
    expect([...f.subarray(0, 8)]).toEqual([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08]);
    const d = Buffer.concat(encodeData(7, Buffer.from('ab'), true));
    expect([...d]).toEqual([0, 0, 0, 7, 0x01, 0, 0, 2, 0x61, 0x62]);
  });

  it('refuses another SPDY version', () => {
    const f = encodePing(1);
    f.writeUInt16BE(0x8002, 0);
    expect(() => new FrameParser().push(f)).toThrow('unsupported SPDY version 2');
  });

  it('passes a control frame of a type SPDY/3 does not define (5, the old NOOP) through as unknown', () => {
    const f = encodePing(1);
    f.writeUInt16BE(5, 2);
    expect(new FrameParser().push(f)).toEqual([{ type: 'unknown', frameType: 5 }]);
  });
});

describe('SPDY header blocks', () => {
  it('encode and decode name/value pairs (names lower-cased)', () => {
    const raw = encodeHeaderBlock({ streamType: 'data', port: '8080', requestid: '0' });
    expect(raw.readUInt32BE(0)).toBe(3);
    expect(decodeHeaderBlock(raw)).toEqual({ streamtype: 'data', port: '8080', requestid: '0' });
    expect(decodeHeaderBlock(Buffer.alloc(0))).toEqual({});
  });

  it('deflate as stored blocks, each closed by an empty stored block, in one zlib stream with the dictionary', () => {
    const d = new HeaderDeflater();
    const one = d.compress(encodeHeaderBlock({ streamtype: 'error' }));
    const two = d.compress(encodeHeaderBlock({ streamtype: 'data', port: '80' }));
    expect([...one.subarray(0, 2)]).toEqual([0x78, 0xbb]);
    expect(one.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
    for (const b of [one, two]) expect([...b.subarray(-5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    expect(two[0]).toBe(0); // no second zlib header
    const all = inflateSync(Buffer.concat([one, two]), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const first = encodeHeaderBlock({ streamtype: 'error' });
    expect(decodeHeaderBlock(all.subarray(0, first.length))).toEqual({ streamtype: 'error' });
    expect(decodeHeaderBlock(all.subarray(first.length))).toEqual({ streamtype: 'data', port: '80' });
  });

  it('inflate a peer\'s dictionary-compressed, sync-flushed blocks one frame at a time', async () => {
    const z = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const flushBlock = (raw: Buffer): Promise<Buffer> => new Promise((resolve) => {
      const out: Buffer[] = [];
      const onData = (c: Buffer): void => { out.push(c); };
      z.on('data', onData);
      z.write(raw);
      z.flush(constants.Z_SYNC_FLUSH, () => { z.off('data', onData); resolve(Buffer.concat(out)); });
    });
    const inflater = new HeaderInflater();
    const blocks: Array<Record<string, string>> = [{ streamtype: 'error', port: '8080', requestid: '0' }, { streamtype: 'data', port: '8080', requestid: '0' }, {}];
    for (const h of blocks) {
      const compressed = await flushBlock(encodeHeaderBlock(h));
      expect(decodeHeaderBlock(await inflater.inflate(compressed))).toEqual(h);
    }
    z.close();
    inflater.close();
  });

  it('reports a block compressed with another dictionary', async () => {
    const z = createDeflate({ dictionary: Buffer.from('not the spdy dictionary') });
    const block = await new Promise<Buffer>((resolve) => {
      const out: Buffer[] = [];
      z.on('data', (c: Buffer) => out.push(c));
      z.write(encodeHeaderBlock({ a: 'b' }));
      z.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out)));
    });
    await expect(new HeaderInflater().inflate(block)).rejects.toThrow(/header decompression failed/);
    z.close();
  });
});

describe('SPDY session', () => {
  it('opens streams, replies, carries data both ways with half-close, resets and echoes pings', async () => {
    const [a, b] = pipePair();
    const client = new SpdySession(a, 'client');
    const server = new SpdySession(b, 'server');
    const received: SpdyStream[] = [];
    server.on('stream', (s) => {
      received.push(s);
      if (s.headers.streamtype === 'refuse') { s.resetStream(3); return; }
      s.reply({ ok: 'yes' });
      // Echo upper-cased, then FIN.
      let body = '';
      s.on('data', (d: Buffer) => (body += d.toString()));
      s.on('end', () => s.end(body.toUpperCase()));
    });
    const s1 = await client.openStream({ streamtype: 'data', port: '80' });
    expect(s1.id).toBe(1);
    expect(s1.replyHeaders).toEqual({ ok: 'yes' });
    const reply = readAll(s1);
    s1.write('hello ');
    s1.end('world');
    expect(await reply).toBe('HELLO WORLD');
    expect(received[0]?.headers).toEqual({ streamtype: 'data', port: '80' });

    await expect(client.openStream({ streamtype: 'refuse' })).rejects.toThrow('stream 3 refused (RST_STREAM status 3)');

    const s3 = await client.openStream({ streamtype: 'data', port: '81' });
    const srv3 = received[2];
    const closed = new Promise<number>((resolve) => srv3.once('reset', resolve));
    s3.resetStream();
    expect(await closed).toBe(5);

    // The server echoes a client ping (odd id); the client answers nothing to its own echo.
    const parser = new FrameParser();
    const echoed = new Promise<number>((resolve) => {
      a.on('data', (d: Buffer) => { for (const f of parser.push(d)) if (f.type === 'ping') resolve(f.id); });
    });
    a.write(encodePing(7));
    expect(await echoed).toBe(7);

    client.close();
    await new Promise<void>((resolve) => { if (server.closed) resolve(); else server.on('close', resolve); });
  });

  it('fails the session on a frame it cannot accept (wrong version), with GOAWAY', async () => {
    const [a, b] = pipePair();
    const server = new SpdySession(b, 'server');
    const errors: string[] = [];
    server.on('error', (e) => errors.push(e.message));
    const closed = new Promise<void>((resolve) => server.on('close', resolve));
    const bad = encodePing(1);
    bad.writeUInt16BE(0x8002, 0);
    const parser = new FrameParser();
    const goaway = new Promise<number>((resolve) => a.on('data', (d: Buffer) => { for (const f of parser.push(d)) if (f.type === 'goaway') resolve(f.status); }));
    a.write(bad);
    await closed;
    expect(errors).toEqual(['unsupported SPDY version 2']);
    expect(await goaway).toBe(1);
  });

  it('keeps data a peer sent before resetting the stream, as the runtime does after an exec (httpstream Close resets every stream)', async () => {
    const [a, b] = pipePair();
    const client = new SpdySession(a, 'client');
    const server = new SpdySession(b, 'server');
    // The reply, the output and the reset reach the client together: its reader is attached only once openStream
    // has resolved, after the frames are already queued behind the reply.
    server.on('stream', (s) => { s.reply(); s.write('hello\n'); s.resetStream(); });
    const s = await client.openStream({ streamtype: 'stdout' });
    const resets: number[] = [];
    s.on('reset', (status: number) => resets.push(status));
    let out = '';
    let ended = false;
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.once('end', () => { ended = true; });
    await new Promise<void>((resolve) => s.once('close', () => resolve()));
    expect(out).toBe('hello\n');
    expect(ended).toBe(true);
    expect(resets).toEqual([5]);
    // Nothing can be written on a reset stream.
    await expect(new Promise<void>((resolve, reject) => s.write('late', (e) => (e ? reject(e) : resolve())))).rejects.toThrow();
    client.close();
  });

  it('keeps data a peer sent before closing the connection without FIN', async () => {
    const [a, b] = pipePair();
    const client = new SpdySession(a, 'client');
    const server = new SpdySession(b, 'server');
    server.on('stream', (s) => { s.reply(); s.write('last words'); b.end(); });
    const s = await client.openStream({ streamtype: 'stdout' });
    expect(await readAll(s)).toBe('last words');
    expect(client.closed).toBe(true);
  });
});
