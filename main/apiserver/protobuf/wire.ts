// Protocol buffers wire format: a reader of tagged fields (varint, 64-bit, length-delimited, 32-bit).

export interface WireField {
  no: number;
  wireType: number;
  /** varint / fixed values as bigint; length-delimited as bytes. */
  varint?: bigint;
  bytes?: Uint8Array;
}

export class WireError extends Error {}

export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new WireError('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw new WireError('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wireType = key & 7;
    switch (wireType) {
      case 0:
        out.push({ no, wireType, varint: varint() });
        break;
      case 1: {
        if (pos + 8 > buf.length) throw new WireError('truncated fixed64');
        const v = Buffer.from(buf.buffer, buf.byteOffset + pos, 8).readBigUInt64LE();
        pos += 8;
        out.push({ no, wireType, varint: v });
        break;
      }
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new WireError('truncated bytes');
        out.push({ no, wireType, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5: {
        if (pos + 4 > buf.length) throw new WireError('truncated fixed32');
        const v = Buffer.from(buf.buffer, buf.byteOffset + pos, 4).readUInt32LE();
        pos += 4;
        out.push({ no, wireType, varint: BigInt(v) });
        break;
      }
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}

/** A varint as a signed 64-bit number (two's complement), as int32/int64 fields encode negatives. */
export function toSigned(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}
