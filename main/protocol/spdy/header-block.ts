// SPDY/3 name/value header blocks: count(32) then (name-length(32) name value-length(32) value)*, names
// lower-case, several values of one name joined by NUL. Compressed with zlib and the SPDY/3 dictionary,
// one compression context per direction for the whole session.
import { constants, createInflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary';
import { SpdyProtocolError } from './frames';

export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase(), 'utf8');
    const value = Buffer.from(v, 'utf8');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(raw: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  if (raw.length === 0) return out;
  let off = 0;
  const read = (): Buffer => {
    if (off + 4 > raw.length) throw new SpdyProtocolError('truncated header block');
    const n = raw.readUInt32BE(off);
    off += 4;
    if (off + n > raw.length) throw new SpdyProtocolError('truncated header block');
    const b = raw.subarray(off, off + n);
    off += n;
    return b;
  };
  if (raw.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = raw.readUInt32BE(0);
  off = 4;
  for (let i = 0; i < count; i++) {
    const name = read().toString('utf8').toLowerCase();
    const value = read().toString('utf8');
    out[name] = name in out ? `${out[name]}\0${value}` : value;
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const x of buf) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Outbound header compression as a zlib stream of *stored* (uncompressed) deflate blocks: valid for any
 * inflater, no dictionary back-references needed. Every block is followed by an empty stored block
 * (00 00 00 ff ff, the sync-flush marker) so that Go's flate reader returns at the end of each frame
 * instead of reading past it.
 */
export class HeaderDeflater {
  private started = false;

  compress(raw: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32K window), FLG 0xbb (FDICT, check bits), then the dictionary's adler32.
      parts.push(Buffer.from([0x78, 0xbb]), u32(adler32(SPDY3_DICTIONARY)));
    }
    for (let off = 0; off < raw.length; off += 0xffff) {
      const chunk = raw.subarray(off, off + 0xffff);
      const h = Buffer.alloc(5);
      h.writeUInt8(0, 0);
      h.writeUInt16LE(chunk.length, 1);
      h.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(h, chunk);
    }
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** Inbound header decompression: one inflate context for the session, flushed per header block. */
export class HeaderInflater {
  private readonly z: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private failure: Error | undefined;
  private pending: ((e: Error) => void) | undefined;

  constructor() {
    this.z.on('error', (e: Error) => {
      this.failure = new SpdyProtocolError(`header decompression failed: ${e.message}`);
      this.pending?.(this.failure);
    });
  }

  /** The decompressed bytes of one header block (calls must not overlap: the session handles frames in order). */
  inflate(block: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    if (block.length === 0) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
      this.pending = reject;
      this.z.write(block);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.pending = undefined;
        if (this.failure) { reject(this.failure); return; }
        const out: Buffer[] = [];
        for (let c: unknown = this.z.read(); c !== null; c = this.z.read()) if (Buffer.isBuffer(c)) out.push(c);
        resolve(Buffer.concat(out));
      });
    });
  }

  close(): void {
    this.z.close();
  }
}
