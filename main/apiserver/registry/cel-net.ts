// Kubernetes' CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go and cidr.go, 1.30+): isIP, ip(),
// ip.isCanonical, an IP's family, isUnspecified, isLoopback, isLinkLocalMulticast, isLinkLocalUnicast and
// isGlobalUnicast; isCIDR, cidr(), a CIDR's containsIP, containsCIDR, ip, masked and prefixLength; string() of
// both. Addresses are read by Go's netip rules as Kubernetes does: no zones, no IPv4-mapped IPv6 addresses, no
// leading zeros in IPv4 fields; a CIDR keeps the address it was written with (cidr("10.0.0.1/8") is not
// cidr("10.0.0.0/8"); masked() gives the latter). `==` compares addresses (and prefix lengths).
import { CelScalar, celFunc, celMethod } from '@bufbuild/cel';
import { CelOpaque } from './cel-types';

const { STRING, INT, BOOL } = CelScalar;

type Parsed = { bytes: number[]; zone: string } | { error: string };

const addrError = (input: string, msg: string, at?: string): { error: string } =>
  ({ error: `ParseAddr(${JSON.stringify(input)}): ${msg}${at !== undefined ? ` (at ${JSON.stringify(at)})` : ''}` });

/** netip's parseIPv4Fields over in[off:end]: four fields, or its error. */
function ipv4Fields(input: string, off: number, end: number): number[] | { error: string } {
  const s = input.slice(off, end);
  const fields: number[] = [];
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) return addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + Number(c);
      digits++;
      if (val > 255) return addrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (fields.length === 3) return addrError(input, 'IPv4 address too long');
      fields.push(val);
      val = 0;
      digits = 0;
    } else {
      return addrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (fields.length < 3) return addrError(input, 'IPv4 address too short');
  return [...fields, val];
}

/** netip's parseIPv6, with its errors. */
function parseIPv6(input: string): Parsed {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return addrError(input, 'zone must be a non-empty string');
  }
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off];
      if (!/[0-9a-fA-F]/.test(c)) break;
      acc = acc * 16 + parseInt(c, 16);
      if (off > 3) return addrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) return addrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) return addrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) return addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const end = input.length - (zone.length > 0 ? zone.length + 1 : 0);
      const v4 = ipv4Fields(input, end - s.length, end);
      if (!Array.isArray(v4)) return v4;
      ip.splice(i, 4, ...v4);
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) return addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return addrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return addrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) return addrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    return addrError(input, 'the :: must expand to at least one field of zeros', s);
  }
  return { bytes: ip, zone };
}

/** netip.ParseAddr: the address's bytes (4 or 16) and zone, or Go's error text. */
function goParseAddr(s: string): Parsed {
  for (const c of s) {
    if (c === '.') {
      const f = ipv4Fields(s, 0, s.length);
      return Array.isArray(f) ? { bytes: f, zone: '' } : f;
    }
    if (c === ':') return parseIPv6(s);
    if (c === '%') return addrError(s, 'missing IPv6 address');
  }
  return addrError(s, 'unable to parse IP');
}

const is4In6 = (b: readonly number[]): boolean => b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** parseIPAddr of the library: the address's bytes (4 or 16), or Kubernetes' error text. */
function parseAddr(s: string): number[] | string {
  const a = goParseAddr(s);
  if ('error' in a) return `IP Address ${JSON.stringify(s)} parse error during conversion from string: ${a.error}`;
  if (a.zone !== '') return `IP address ${JSON.stringify(s)} with zone value is not allowed`;
  if (is4In6(a.bytes)) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return a.bytes;
}

/** The family of an address Kubernetes' CEL accepts (4 or 6), or 0. */
export function celIPFamily(s: string): 0 | 4 | 6 {
  const b = parseAddr(s);
  return typeof b === 'string' ? 0 : b.length === 4 ? 4 : 6;
}

/** netip.Addr.String: dotted quad, or RFC 5952 (the longest run of two or more zero groups as "::", lower-case hex). */
export function addrString(b: readonly number[]): string {
  if (b.length === 4) return b.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  return best < 0 ? hex(words) : `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

interface Prefix { addr: number[]; bits: number }

/** parseCIDR of the library: netip.ParsePrefix, no IPv4-mapped addresses; the address as given. */
function parsePrefix(s: string): Prefix | string {
  const fail = (why: string) => `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): ${why}`;
  const slash = s.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  const a = goParseAddr(s.slice(0, slash));
  if ('error' in a) return fail(a.error);
  if (a.zone !== '') return fail('IPv6 zones cannot be present in a prefix');
  const bitsText = s.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bitsText) || bitsText.length > 18) return fail(`bad bits after slash: ${JSON.stringify(bitsText)}`);
  const bits = Number(bitsText);
  if (bits > a.bytes.length * 8) return fail('prefix length out of range');
  if (is4In6(a.bytes)) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return { addr: a.bytes, bits };
}

/** Whether Kubernetes' CEL accepts the string as a CIDR (address/bits; the address need not be masked). */
export function celIsCIDR(s: string): boolean {
  return typeof parsePrefix(s) !== 'string';
}

function masked(p: Prefix): number[] {
  return p.addr.map((x, i) => {
    const keep = Math.max(0, Math.min(8, p.bits - 8 * i));
    return x & ((0xff << (8 - keep)) & 0xff);
  });
}

/** netip.Prefix.Contains: the same family and the same masked bits. */
function contains(p: Prefix, ip: readonly number[]): boolean {
  if (ip.length !== p.addr.length) return false;
  const a = masked(p);
  const b = masked({ addr: [...ip], bits: p.bits });
  return a.every((x, i) => x === b[i]);
}

export const IP = new CelOpaque<{ addr: Uint8Array }, number[]>('net', 'IP', { addr: 'bytes' });
export const CIDR = new CelOpaque<{ addr: Uint8Array; bits: number }, Prefix>('net', 'CIDR', { addr: 'bytes', bits: 'int32' });

const ipOf = (b: number[]) => IP.of({ addr: Uint8Array.from(b) }, b);
const cidrOf = (p: Prefix) => CIDR.of({ addr: Uint8Array.from(p.addr), bits: p.bits }, p);

function mustAddr(s: string): number[] {
  const b = parseAddr(s);
  if (typeof b === 'string') throw new Error(b);
  return b;
}

function mustPrefix(s: string): Prefix {
  const p = parsePrefix(s);
  if (typeof p === 'string') throw new Error(`network address parse error during conversion from string: ${p}`);
  return p;
}

const inRange = (b: readonly number[], first: number, mask: number, want: number) => (b[first] & mask) === want;
const isV4 = (b: readonly number[]) => b.length === 4;
const isUnspecified = (b: readonly number[]) => b.every((x) => x === 0);
const isLoopback = (b: readonly number[]) => (isV4(b) ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1);
const isMulticast = (b: readonly number[]) => (isV4(b) ? inRange(b, 0, 0xf0, 0xe0) : b[0] === 0xff);
const isLinkLocalUnicast = (b: readonly number[]) => (isV4(b) ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80);
const isLinkLocalMulticast = (b: readonly number[]) => (isV4(b) ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && b[1] === 0x02);
/** netip.Addr.IsGlobalUnicast (private IPv4 and ULA IPv6 addresses are global unicast there too). */
const isGlobalUnicast = (b: readonly number[]) => !isUnspecified(b) && !(isV4(b) && b.every((x) => x === 255))
  && !isLoopback(b) && !isMulticast(b) && !isLinkLocalUnicast(b);

const IPT = IP.type;
const CT = CIDR.type;
const ip = (v: unknown) => IP.must(v);
const cidr = (v: unknown) => CIDR.must(v);

export const NET_FUNCS = [
  celFunc('isIP', [STRING], BOOL, (s) => celIPFamily(s) !== 0),
  celFunc('ip', [STRING], IPT, (s) => ipOf(mustAddr(s))),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => addrString(mustAddr(s)) === s),
  celFunc('string', [IPT], STRING, (v) => addrString(ip(v))),
  celMethod('family', IPT, [], INT, function family() { return isV4(ip(this)) ? 4n : 6n; }),
  celMethod('isUnspecified', IPT, [], BOOL, function f() { return isUnspecified(ip(this)); }),
  celMethod('isLoopback', IPT, [], BOOL, function f() { return isLoopback(ip(this)); }),
  celMethod('isLinkLocalMulticast', IPT, [], BOOL, function f() { return isLinkLocalMulticast(ip(this)); }),
  celMethod('isLinkLocalUnicast', IPT, [], BOOL, function f() { return isLinkLocalUnicast(ip(this)); }),
  celMethod('isGlobalUnicast', IPT, [], BOOL, function f() { return isGlobalUnicast(ip(this)); }),
  celFunc('isCIDR', [STRING], BOOL, (s) => celIsCIDR(s)),
  celFunc('cidr', [STRING], CT, (s) => cidrOf(mustPrefix(s))),
  celFunc('string', [CT], STRING, (v) => `${addrString(cidr(v).addr)}/${cidr(v).bits}`),
  celMethod('containsIP', CT, [STRING], BOOL, function f(s) { return contains(cidr(this), mustAddr(s)); }),
  celMethod('containsIP', CT, [IPT], BOOL, function f(v) { return contains(cidr(this), ip(v)); }),
  celMethod('containsCIDR', CT, [STRING], BOOL, function f(s) {
    const o = mustPrefix(s);
    return contains(cidr(this), o.addr) && cidr(this).bits <= o.bits;
  }),
  celMethod('containsCIDR', CT, [CT], BOOL, function f(v) {
    const o = cidr(v);
    return contains(cidr(this), o.addr) && cidr(this).bits <= o.bits;
  }),
  celMethod('ip', CT, [], IPT, function f() { return ipOf(cidr(this).addr); }),
  celMethod('masked', CT, [], CT, function f() { const p = cidr(this); return cidrOf({ addr: masked(p), bits: p.bits }); }),
  celMethod('prefixLength', CT, [], INT, function f() { return BigInt(cidr(this).bits); }),
];
