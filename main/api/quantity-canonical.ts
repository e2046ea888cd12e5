// A quantity as kube-apiserver stores it: resource.ParseQuantity (k8s.io/apimachinery v0.32) reads the string, and the
// Quantity's JSON encoding writes its canonical form — "1000m" is stored as "1", "1024Mi" as "1Gi", "0.5" as "500m",
// "1.5Gi" as "1536Mi", a JSON number 1 as the string "1". The rules, from quantity.go, amount.go and suffix.go:
//   - the suffix gives the format: none or n u m k M G T P E → DecimalSI; Ki … Ei → BinarySI; e<N>/E<N> → DecimalExponent;
//   - the value is exact (big integers here, inf.Dec there), rounded up to 9 decimal places (1 nano), a binary one capped at
//     2^63 − 1 (a binary value between 0 and 1 becomes DecimalSI);
//   - canonical: the mantissa without trailing zeros, the exponent brought down to a multiple of 3 and named by a suffix
//     (DecimalSI) or written e<N> (DecimalExponent); a binary value of at least 1024 and a whole number as the mantissa
//     without factors of 1024 and Ki … Ei (otherwise it is written as DecimalSI); zero is "0";
//   - a string already in canonical form as ParseQuantity's fast path sees it is kept as given (so "+1" and "01Gi" stay).
// Pure: no node imports.
import { BINARY_SUFFIXES, DECIMAL_SUFFIXES, goTrimSpace } from './quantity';

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));
const MAX_INT64 = (1n << 63n) - 1n;
const NANO_SCALE = 9;

interface Parsed {
  negative: boolean;
  /** The absolute value is `unscaled` × 10^−`scale`. */
  unscaled: bigint;
  scale: number;
  format: Format;
  /** The string as given, when ParseQuantity keeps it (its fast path found it canonical). */
  kept?: string;
  /** The fast path's int64Amount (signed value × 10^scale); absent when the value is an inf.Dec. */
  int64?: { value: bigint; scale: number };
}

/** parseQuantityString: sign, the number's text (`value`), numerator, denominator and suffix; undefined for ErrFormatWrong. */
function split(str: string): { negative: boolean; value: string; num: string; denom: string; suffix: string } | undefined {
  let pos = 0;
  let negative = false;
  if (str[0] === '-' || str[0] === '+') {
    negative = str[0] === '-';
    pos = 1;
  }
  while (pos < str.length && str[pos] === '0') pos++;
  if (pos >= str.length) return { negative, value: '0', num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  if (pos >= str.length) return { negative, value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    const denomStart = ++pos;
    while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= str.length) return { negative, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (pos < str.length && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < str.length && str[pos] >= '0' && str[pos] <= '9') pos++;
  if (pos < str.length) return undefined;
  return { negative, value, num, denom, suffix: str.slice(suffixStart) };
}

/** quantitySuffixer.interpret: base, exponent and format of a suffix; undefined for ErrSuffix. */
function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent) && Math.abs(exponent) <= 2 ** 31 - 1) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** The digits of a decimal text ("-1.50", ".5", "1.") as unscaled and scale; undefined when there are none. */
function decimal(text: string): { unscaled: bigint; scale: number } | undefined {
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  return { unscaled: BigInt((m[1] || '0') + (m[2] ?? '')), scale: (m[2] ?? '').length };
}

function parse(str: string): Parsed | undefined {
  if (str.length === 0) return undefined;
  if (str === '0') return { negative: false, unscaled: 0n, scale: 0, format: 'DecimalSI', kept: str };
  const parts = split(str);
  if (!parts) return undefined;
  const { negative, num, denom } = parts;
  const kind = interpret(parts.suffix);
  if (!kind) return undefined;
  const { base, exponent } = kind;
  let { format } = kind;

  // The int64 fast path, which keeps a canonical string as given.
  let precision: number;
  let scale: number;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    scale = 0;
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -NANO_SCALE) {
      const shifted = num + denom;
      const value = BigInt(shifted);
      const result = value * mantissa;
      if (result <= MAX_INT64) {
        const keep = format === 'BinarySI'
          ? exponent % 10 === 0 && (value & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return {
          negative, unscaled: result * (scale > 0 ? 10n ** BigInt(scale) : 1n), scale: scale < 0 ? -scale : 0, format, kept: keep ? str : undefined,
          int64: { value: negative ? -result : result, scale },
        };
      }
    }
  }

  // The exact path (inf.Dec).
  const amount = decimal(parts.value);
  if (!amount) return undefined;
  let { unscaled, scale: decScale } = amount;
  if (base === 10) decScale -= exponent;
  else unscaled <<= BigInt(exponent);
  if (decScale < 0) {
    unscaled *= 10n ** BigInt(-decScale);
    decScale = 0;
  }
  if (unscaled !== 0n && decScale > NANO_SCALE) {
    // Rounded up (away from zero) to 9 decimal places.
    const drop = 10n ** BigInt(decScale - NANO_SCALE);
    unscaled = (unscaled + drop - 1n) / drop;
    decScale = NANO_SCALE;
  }
  if (format === 'BinarySI') {
    const cap = MAX_INT64 * 10n ** BigInt(decScale);
    if (unscaled > cap) unscaled = cap;
    if (unscaled > 0n && unscaled < 10n ** BigInt(decScale)) format = 'DecimalSI';
  }
  return { negative, unscaled, scale: decScale, format };
}

function removeFactors(value: bigint, factor: bigint): { value: bigint; times: number } {
  let times = 0;
  while (value !== 0n && value % factor === 0n) {
    value /= factor;
    times++;
  }
  return { value, times };
}

/** Quantity.CanonicalizeBytes; undefined where Go writes a value with no suffix for its exponent (beyond E). */
function canonical(q: Parsed): string | undefined {
  if (q.unscaled === 0n) return '0';
  const sign = q.negative ? '-' : '';
  let format = q.format;
  const one = 10n ** BigInt(q.scale);
  if (format === 'BinarySI' && (q.unscaled < 1024n * one || q.unscaled % one !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    const { value, times } = removeFactors(q.unscaled / one, 1024n);
    const suffix = times === 0 ? '' : BINARY_BY_EXPONENT.get(times * 10);
    return suffix === undefined ? undefined : `${sign}${value}${suffix}`;
  }
  const removed = removeFactors(q.unscaled, 10n);
  let value = removed.value;
  let exponent = removed.times - q.scale;
  while (exponent % 3 !== 0) {
    value *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return `${sign}${value}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DECIMAL_BY_EXPONENT.get(exponent);
  return suffix === undefined ? undefined : `${sign}${value}${suffix}`;
}

/** A parsed quantity's exact value, as resource.ParseQuantity reads `str` (no trimming); undefined when it does not parse. */
export interface ExactQuantity {
  /** The value is `unscaled` × 10^−`scale` (signed). */
  unscaled: bigint;
  scale: number;
  /** Go's int64Amount of the value (value × 10^scale), when ParseQuantity made one rather than an inf.Dec. */
  int64?: { value: bigint; scale: number };
}

export function exactQuantity(str: string): ExactQuantity | undefined {
  const q = parse(str);
  if (!q) return undefined;
  return { unscaled: q.negative ? -q.unscaled : q.unscaled, scale: q.scale, int64: q.int64 ?? (q.unscaled === 0n ? { value: 0n, scale: 0 } : undefined) };
}

/**
 * The string kube-apiserver stores for a Quantity given as `v` (a string, or a JSON number); undefined when it does not
 * parse (the caller's validation reports it) or has no canonical form with a suffix (beyond 999E).
 */
export function canonicalQuantity(v: string | number): string | undefined {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : goTrimSpace(v); // Quantity.UnmarshalJSON trims the string first
  // Every write of an object makes its quantities' round trip, and a cluster uses few distinct ones ("100m", "128Mi").
  const known = answers.get(text);
  if (known !== undefined || answers.has(text)) return known;
  const q = parse(text);
  const answer = q ? q.kept ?? canonical(q) : undefined;
  if (answers.size >= MAX_ANSWERS) answers.clear();
  answers.set(text, answer);
  return answer;
}

const MAX_ANSWERS = 4096;
const answers = new Map<string, string | undefined>();
