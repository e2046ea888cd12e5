// Kubernetes' CEL quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go, 1.28+): quantity(), isQuantity(),
// sign(), and a Quantity's isGreaterThan, isLessThan, compareTo, asApproximateFloat, asInteger, isInteger, add and
// sub. Values are exact, as resource.Quantity's; `==` compares values (quantity("200M") == quantity("0.2G")).
// What Go keeps besides the value is kept too, because isInteger and asInteger answer by it: a Quantity is an
// int64Amount (value × 10^scale) until a sum overflows int64, or when ParseQuantity could not make one (more than
// 18 digits, below a nano), and then an inf.Dec, which is never "an integer" — so quantity("1000m").isInteger() is
// false and quantity("1.5k").isInteger() true, as in Kubernetes.
import { CelScalar, celFunc, celMethod } from '@bufbuild/cel';
import { exactQuantity } from '../../api/quantity-canonical';
import { quantityProblem } from '../../api/quantity';
import { CelOpaque } from './cel-types';

const { STRING, INT, BOOL, DOUBLE } = CelScalar;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const fitsInt64 = (v: bigint) => v >= MIN_INT64 && v <= MAX_INT64;

/** The value × 10^exp; `int64`: Go holds it as an int64Amount (else an inf.Dec). */
interface Amount { value: bigint; exp: number; int64: boolean }

/** The exact value's text with trailing zeros gone: what `==` compares. */
function valueText(a: Amount): string {
  let { value, exp } = a;
  if (value === 0n) return '0';
  while (value % 10n === 0n) {
    value /= 10n;
    exp++;
  }
  return `${value}e${exp}`;
}

export const QUANTITY = new CelOpaque<{ value: string }, Amount>('kubernetes', 'Quantity', { value: 'string' });

const quantityOf = (a: Amount) => QUANTITY.of({ value: valueText(a) }, a);

function align(a: Amount, b: Amount): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.value * 10n ** BigInt(a.exp - exp), b.value * 10n ** BigInt(b.exp - exp), exp];
}

function cmp(a: Amount, b: Amount): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Quantity.Add: int64Amount.Add when both are int64Amounts and nothing overflows (aligned to the smaller scale), else inf.Dec. */
function add(a: Amount, b: Amount): Amount {
  if (a.int64 && b.int64) {
    if (b.value === 0n) return a;
    if (a.value === 0n) return b;
    const [x, y, exp] = align(a, b);
    if (fitsInt64(x) && fitsInt64(y) && fitsInt64(x + y)) return { value: x + y, exp, int64: true };
  }
  const [x, y, exp] = align(a, b);
  return { value: x + y, exp, int64: false };
}

/** Quantity.Sub: a zero minus anything is an inf.Dec (Go negates y's Dec). */
function sub(a: Amount, b: Amount): Amount {
  const negated = { value: -b.value, exp: b.exp, int64: b.int64 && b.value !== MIN_INT64 };
  if (a.value === 0n) return { ...negated, int64: false };
  return add(a, negated);
}

/** Quantity.AsInt64: only an int64Amount whose scale is not negative. */
function asInt64(a: Amount): bigint | undefined {
  if (!a.int64 || a.exp < 0) return undefined;
  const v = a.value * 10n ** BigInt(a.exp);
  return fitsInt64(v) ? v : undefined;
}

/** Quantity.AsApproximateFloat64: the unscaled value as a float times math.Pow10 of the exponent. */
function approximate(a: Amount): number {
  const base = Number(a.value);
  if (a.exp === 0) return base;
  if (a.exp > 308) return base === 0 ? 0 : base * Infinity;
  if (a.exp < -323) return base * 0;
  return a.exp > 0 ? base * Number(`1e${a.exp}`) : base / Number(`1e${-a.exp}`);
}

function parse(s: string): Amount | undefined {
  const q = exactQuantity(s);
  if (!q) return undefined;
  return q.int64 ? { value: q.int64.value, exp: q.int64.scale, int64: true } : { value: q.unscaled, exp: -q.scale, int64: false };
}

const T = QUANTITY.type;
const q = (v: unknown) => QUANTITY.must(v);
const intAmount = (n: bigint): Amount => ({ value: n, exp: 0, int64: true });

export const QUANTITY_FUNCS = [
  celFunc('quantity', [STRING], T, (s) => {
    const a = parse(s);
    if (!a) throw new Error(quantityProblem(s) ?? 'quantities must match the regular expression');
    return quantityOf(a);
  }),
  celFunc('isQuantity', [STRING], BOOL, (s) => parse(s) !== undefined),
  celFunc('sign', [T], INT, (x) => { const v = q(x).value; return v > 0n ? 1n : v < 0n ? -1n : 0n; }),
  celMethod('isGreaterThan', T, [T], BOOL, function gt(o) { return cmp(q(this), q(o)) === 1; }),
  celMethod('isLessThan', T, [T], BOOL, function lt(o) { return cmp(q(this), q(o)) === -1; }),
  celMethod('compareTo', T, [T], INT, function compareTo(o) { return BigInt(cmp(q(this), q(o))); }),
  celMethod('asApproximateFloat', T, [], DOUBLE, function asApproximateFloat() { return approximate(q(this)); }),
  celMethod('isInteger', T, [], BOOL, function isInteger() { return asInt64(q(this)) !== undefined; }),
  celMethod('asInteger', T, [], INT, function asInteger() {
    const v = asInt64(q(this));
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  }),
  celMethod('add', T, [T], T, function plus(o) { return quantityOf(add(q(this), q(o))); }),
  celMethod('add', T, [INT], T, function plusInt(n) { return quantityOf(add(q(this), intAmount(n))); }),
  celMethod('sub', T, [T], T, function minus(o) { return quantityOf(sub(q(this), q(o))); }),
  celMethod('sub', T, [INT], T, function minusInt(n) { return quantityOf(sub(q(this), intAmount(n))); }),
];
