// The server name (SNI) a TLS client asks for, read from its ClientHello without terminating TLS (RFC 8446 §4.1.2,
// RFC 6066 §3), for TLS passthrough: the first record must be a handshake record holding the whole ClientHello.

export type HelloRead =
  | { done: false }
  | { done: true; serverName?: string; error?: string };

/** Reads what has arrived so far: not done until the first record is complete. */
export function readServerName(buf: Buffer): HelloRead {
  if (buf.length < 5) return { done: false };
  if (buf[0] !== 0x16) return { done: true, error: 'not a TLS handshake' };
  const recordLength = buf.readUInt16BE(3);
  if (buf.length < 5 + recordLength) return { done: false };
  const hello = buf.subarray(5, 5 + recordLength);
  try {
    return { done: true, serverName: serverNameOf(hello) };
  } catch (e) {
    return { done: true, error: e instanceof Error ? e.message : String(e) };
  }
}

function serverNameOf(h: Buffer): string | undefined {
  let at = 0;
  const need = (n: number): void => { if (at + n > h.length) throw new Error('truncated ClientHello'); };
  const u8 = (): number => { need(1); return h[at++]; };
  const u16 = (): number => { need(2); const v = h.readUInt16BE(at); at += 2; return v; };
  const skip = (n: number): void => { need(n); at += n; };
  if (u8() !== 1) throw new Error('not a ClientHello');
  skip(3); // handshake length
  skip(2 + 32); // legacy version, random
  skip(u8()); // session id
  skip(u16()); // cipher suites
  skip(u8()); // compression methods
  if (at >= h.length) return undefined; // no extensions
  const end = at + u16();
  while (at + 4 <= end) {
    const type = u16();
    const len = u16();
    if (type !== 0) { skip(len); continue; }
    const listEnd = at + u16();
    while (at + 3 <= listEnd) {
      const nameType = u8();
      const nameLen = u16();
      need(nameLen);
      if (nameType === 0) return h.toString('ascii', at, at + nameLen).toLowerCase();
      at += nameLen;
    }
    return undefined;
  }
  return undefined;
}
