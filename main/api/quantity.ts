// Kubernetes resource quantities ("250m", "1Gi", "1500Mi", "1e3", "1k") as plain numbers:
// cores for CPU, bytes for memory. Exact enough for scheduling and metrics (float64).

export class QuantityError extends Error {
  override name = 'QuantityError';
}

/** resource.ErrFormatWrong's text. */
export const QUANTITY_FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** resource.ErrSuffix's text: a quantity of the right shape whose suffix is none of Kubernetes' (`1MM`, `5mi`, `1K`). */
export const QUANTITY_SUFFIX_MESSAGE = "unable to parse quantity's suffix";

// resource.ParseQuantity's grammar: the digits may be none at all ("Gi", ".", "-" are zero), a suffix is one of
// Kubernetes' or an exponent.
const QUANTITY_RE = /^([+-]?)([0-9]*\.?[0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
/** The shape resource.ParseQuantity reads before it looks the suffix up. */
const QUANTITY_SHAPE_RE = /^[+-]?[0-9]*\.?[0-9]*[eEinumkKMGTP]*[-+]?[0-9]*$/;

/** Why a quantity string does not parse, in resource.ParseQuantity's words (ErrFormatWrong, ErrSuffix); undefined when it does. */
export function quantityProblem(q: string): string | undefined {
  if (q === '') return QUANTITY_FORMAT_MESSAGE;
  if (QUANTITY_RE.test(q)) return undefined;
  return QUANTITY_SHAPE_RE.test(q) ? QUANTITY_SUFFIX_MESSAGE : QUANTITY_FORMAT_MESSAGE;
}

/** Go's unicode.IsSpace set, which strings.TrimSpace trims (JavaScript's trim also takes U+FEFF, and not U+0085). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.source;
const GO_SPACE_EDGES = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** Go's strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE_EDGES, '');
}

/**
 * Why a quantity in a request body does not decode, as Quantity.UnmarshalJSON says it: the string is trimmed of spaces
 * before ParseQuantity reads it (`cpu: " 1"` is the quantity 1); undefined when it decodes.
 */
export function quantityJsonProblem(q: string): string | undefined {
  return quantityProblem(goTrimSpace(q));
}

/** Kubernetes' decimal suffixes and the power of 10 each stands for (quantitySuffixer's table). */
export const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Kubernetes' binary suffixes and the power of 2 each stands for. */
export const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const SUFFIX: Record<string, number> = {
  ...Object.fromEntries(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [s, 10 ** e])),
  ...Object.fromEntries(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [s, 2 ** e])),
};

/** Parse a quantity. Numbers pass through. Throws QuantityError when malformed. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
    return q;
  }
  const m = q !== '' && q.trim() === q ? QUANTITY_RE.exec(q) : null;
  if (!m) throw new QuantityError(quantityProblem(q) ?? QUANTITY_FORMAT_MESSAGE);
  const sign = m[1] === '-' ? -1 : 1;
  const num = m[2] === '' || m[2] === '.' ? 0 : Number(m[2]);
  const suffix = m[3] ?? '';
  const mult = suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  if (mult === undefined || !Number.isFinite(num)) throw new QuantityError(QUANTITY_FORMAT_MESSAGE);
  // Multiply then divide small suffixes to avoid 0.1+0.2-style noise ("250m" → 0.25 exactly).
  const v = mult < 1 ? num / Math.round(1 / mult) : num * mult;
  return v === 0 ? 0 : sign * v;
}

/** For display: the quantity's value, NaN when it is missing or malformed (never throws). */
export function quantityOrNaN(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  try { return parseQuantity(q); } catch { return NaN; }
}

/** For display: CPU in millicores (not rounded), NaN when missing or malformed. */
export function cpuMillisOrNaN(q: string | number | undefined): number {
  return quantityOrNaN(q) * 1000;
}

/** True when `q` parses. */
export function isQuantity(q: unknown): boolean {
  if (typeof q !== 'string' && typeof q !== 'number') return false;
  try { parseQuantity(q); return true; } catch { return false; }
}

/** CPU in cores → millicores string, as `kubectl top` and metrics show it ("250m"). */
export function formatCpuMilli(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/**
 * Bytes → canonical binary-SI quantity, as Kubernetes prints memory: the largest of Ki…Ei that
 * divides the (integer) value exactly, else plain bytes ("1Gi", "1536Mi", "1500").
 */
export function formatMemory(bytes: number): string {
  let n = Math.ceil(bytes);
  if (n === 0) return '0';
  const neg = n < 0;
  if (neg) n = -n;
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let i = 0;
  while (i < units.length - 1 && n >= 1024 && n % 1024 === 0) { n /= 1024; i++; }
  return `${neg ? '-' : ''}${n}${units[i]}`;
}

/** Bytes → whole mebibytes, as `kubectl top` prints memory ("1500Mi"). */
export function formatMemoryMi(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
