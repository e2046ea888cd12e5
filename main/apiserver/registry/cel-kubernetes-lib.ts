// Functions of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library) that CRD rules, admission policies and
// match conditions call, for @bufbuild/cel: the regex library's find and findAll (regex.go) and the lists library's
// isSorted, sum, min, max, indexOf and lastIndexOf (lists.go) here; with them, from their own files, the typed
// libraries — quantity (cel-quantity.ts), IP and CIDR (cel-net.ts), URLs (cel-url.ts), named formats
// (cel-format.ts) — cel-go's optional values (cel-optional.ts) and sets (cel-sets.ts).
import { CelScalar, celMethod, isCelUint, listType, type CelFunc, type CelList, type CelValue } from '@bufbuild/cel';
import { RE2JS } from 're2js';
import { celEquals } from './cel-types';
import { QUANTITY_FUNCS } from './cel-quantity';
import { NET_FUNCS } from './cel-net';
import { URL_FUNCS } from './cel-url';
import { OPTIONAL_FUNCS } from './cel-optional';
import { FORMAT_FUNCS } from './cel-format';
import { SETS_FUNCS } from './cel-sets';
import { AUTHZ_FUNCS } from './cel-authz';

const { STRING, INT, BOOL, DYN } = CelScalar;
const LIST_DYN = listType(DYN);
const LIST_STRING = listType(STRING);

// Regular expressions are RE2's, as Go reads them: linear time, so no object can stall the API server on a crafted
// pattern or string (cel-go's matches() is RE2 too, @bufbuild/cel's own).
function regex(src: string): RE2JS {
  try {
    return RE2JS.compile(src);
  } catch (e) {
    throw new Error(`Illegal regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** regexp.FindAllString: up to `n` matches (all when n < 0). */
function findAll(s: string, re: string, n: number): string[] {
  const m = regex(re).matcher(s);
  const out: string[] = [];
  while ((n < 0 || out.length < n) && m.find()) out.push(m.group() ?? '');
  return out;
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

const same = (a: CelValue, b: CelValue): boolean => celEquals(a, b);

export const KUBERNETES_CEL_FUNCS: CelFunc[] = [
  ...QUANTITY_FUNCS,
  ...NET_FUNCS,
  ...URL_FUNCS,
  ...OPTIONAL_FUNCS,
  ...FORMAT_FUNCS,
  ...SETS_FUNCS,
  ...AUTHZ_FUNCS,
  celMethod('find', STRING, [STRING], STRING, function find(re) { return findAll(this, re, 1)[0] ?? ''; }),
  celMethod('findAll', STRING, [STRING], LIST_STRING, function all(re) { return findAll(this, re, -1); }),
  celMethod('findAll', STRING, [STRING, INT], LIST_STRING, function some(re, n) { return findAll(this, re, n < 0n ? -1 : Number(n)); }),
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
