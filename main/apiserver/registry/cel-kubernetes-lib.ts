// Functions of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library) that CRD rules, admission policies and
// match conditions call, for @bufbuild/cel: isIP and isCIDR (ip.go, cidr.go: Go's netip parsing, no zones, no
// IPv4-mapped IPv6), the regex library's find and findAll (regex.go) and the lists library's isSorted, sum, min,
// max, indexOf and lastIndexOf (lists.go). The typed IP, CIDR, URL and Quantity values are not here: rules calling
// ip(), cidr(), url() or quantity() compile but fail when evaluated.
import { IPV4 } from '../../api/validation/custom-object-extras';
import { CelScalar, celFunc, celMethod, isCelUint, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';

const { STRING, INT, BOOL, DYN } = CelScalar;
const LIST_DYN = listType(DYN);
const LIST_STRING = listType(STRING);

/** The 16 bytes of an IPv6 address as Go's netip parses it, or undefined (zones, bad groups, wrong counts). */
function ipv6Bytes(s: string): number[] | undefined {
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1);
    if (!IPV4.test(v4)) return undefined;
    tail = v4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...rest];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

const is4In6 = (b: readonly number[]): boolean => b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** The family of an address Kubernetes' CEL accepts (4 or 6), or 0. */
export function celIPFamily(s: string): 0 | 4 | 6 {
  if (IPV4.test(s)) return 4;
  const b = ipv6Bytes(s);
  return b && !is4In6(b) ? 6 : 0;
}

/** Whether Kubernetes' CEL accepts the string as a CIDR (address/bits; the address need not be masked). */
export function celIsCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  const family = celIPFamily(s.slice(0, slash));
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function regex(src: string, flags: string): RegExp {
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new Error(`Illegal regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

type Comparable = bigint | number | string | boolean;

function comparable(v: CelValue): Comparable {
  if (isCelUint(v)) return v.value;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new Error('no such overload');
}

function compare(a: CelValue, b: CelValue): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if (typeof x === 'string' || typeof y === 'string' || typeof x === 'boolean' || typeof y === 'boolean') throw new Error('no such overload');
  return x < y ? -1 : x > y ? 1 : 0;
}

const items = (l: CelList): CelValue[] => [...l];

function extreme(l: CelList, name: string, sign: 1 | -1): CelValue {
  const xs = items(l);
  if (xs.length === 0) throw new Error(`${name} called on empty list`);
  return xs.reduce((best, x) => (compare(x, best) * sign > 0 ? x : best));
}

function sum(l: CelList): CelValue {
  const xs = items(l);
  if (xs.length === 0) return 0n;
  if (xs.every((x) => typeof x === 'bigint')) return (xs).reduce((a, b) => a + b, 0n);
  if (xs.every((x) => typeof x === 'number')) return (xs).reduce((a, b) => a + b, 0);
  throw new Error('no such overload');
}

const same = (a: CelValue, b: CelValue): boolean => {
  try { return compare(a, b) === 0; } catch { return JSON.stringify(a) === JSON.stringify(b); }
};

export const KUBERNETES_CEL_FUNCS: CelFunc[] = [
  celFunc('isIP', [STRING], BOOL, (s) => celIPFamily(s) !== 0),
  celFunc('isCIDR', [STRING], BOOL, (s) => celIsCIDR(s)),
  celMethod('find', STRING, [STRING], STRING, function find(re) { return regex(re, 'u').exec(this)?.[0] ?? ''; }),
  celMethod('findAll', STRING, [STRING], LIST_STRING, function findAll(re) { return this.match(regex(re, 'gu')) ?? []; }),
  celMethod('findAll', STRING, [STRING, INT], LIST_STRING, function findAll(re, n) {
    const all = this.match(regex(re, 'gu')) ?? [];
    return n < 0n ? all : all.slice(0, Number(n));
  }),
  celMethod('isSorted', LIST_DYN, [], BOOL, function isSorted() {
    const xs = items(this);
    return xs.every((x, i) => i === 0 || compare(xs[i - 1], x) <= 0);
  }),
  celMethod('sum', LIST_DYN, [], DYN, function s() { return sum(this); }),
  celMethod('min', LIST_DYN, [], DYN, function min() { return extreme(this, 'min', -1); }),
  celMethod('max', LIST_DYN, [], DYN, function max() { return extreme(this, 'max', 1); }),
  celMethod('indexOf', LIST_DYN, [DYN], INT, function indexOf(v) { return BigInt(items(this).findIndex((x) => same(x, v))); }),
  celMethod('lastIndexOf', LIST_DYN, [DYN], INT, function lastIndexOf(v) {
    const xs = items(this);
    for (let i = xs.length - 1; i >= 0; i--) if (same(xs[i], v)) return BigInt(i);
    return -1n;
  }),
];
