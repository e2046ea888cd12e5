// cel-go's optional values (cel.OptionalTypes, in Kubernetes' CEL environment since 1.28) as functions:
// optional.of, optional.ofNonZeroValue, optional.none, and an optional's hasValue, value, or and orValue. The
// syntax that goes with them (`self.?field`, `list[?i]`, `[?x]`, `{?k: v}`) and the optMap/optFlatMap macros are
// not read by @bufbuild/cel's parser, so rules using them are refused when they are compiled.
import { CelScalar, celFunc, celMethod, isCelList, isCelMap, isCelType, isCelUint, type CelValue } from '@bufbuild/cel';
import { toJsonString } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { CelOpaque } from './cel-types';

const { DYN, BOOL } = CelScalar;

/** A value's text for `==` between optionals: equal CEL values, equal texts (1 and 1.0 alike, map keys sorted). */
function keyOf(v: CelValue): string {
  if (typeof v === 'bigint' || typeof v === 'number') return `n:${String(v)}`;
  if (isCelUint(v)) return `n:${String(v.value)}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (typeof v === 'boolean' || v === null) return String(v);
  if (v instanceof Uint8Array) return `b:${Buffer.from(v).toString('hex')}`;
  if (isCelList(v)) return `[${[...v].map(keyOf).join(',')}]`;
  if (isCelMap(v)) return `{${[...v].map(([k, x]) => `${keyOf(k)}:${keyOf(x)}`).sort().join(',')}}`;
  if (isReflectMessage(v)) return `m:${v.desc.typeName}:${toJsonString(v.desc, v.message)}`;
  if (isCelType(v)) return `t:${v.name}`;
  return String(v);
}

/** The optional's value, or `NONE`. */
const NONE = Symbol('optional.none');
type Held = CelValue | typeof NONE;

export const OPTIONAL = new CelOpaque<{ has: boolean; key: string }, Held>('', 'optional_type', { has: 'bool', key: 'string' });

export const optionalOf = (v: CelValue | undefined) => (v === undefined ? OPTIONAL.of({ has: false, key: '' }, NONE) : OPTIONAL.of({ has: true, key: keyOf(v) }, v));

function isZero(v: CelValue): boolean {
  if (typeof v === 'bigint') return v === 0n;
  if (typeof v === 'number') return v === 0;
  if (isCelUint(v)) return v.value === 0n;
  if (typeof v === 'string') return v === '';
  if (typeof v === 'boolean') return !v;
  if (v === null) return true;
  if (v instanceof Uint8Array || isCelList(v)) return [...v].length === 0;
  if (isCelMap(v)) return v.size === 0;
  if (isReflectMessage(v)) return toJsonString(v.desc, v.message) === '{}';
  return false;
}

const T = OPTIONAL.type;
const held = (v: unknown) => OPTIONAL.must(v);

export const OPTIONAL_FUNCS = [
  celFunc('optional.of', [DYN], T, (v) => optionalOf(v)),
  celFunc('optional.ofNonZeroValue', [DYN], T, (v) => optionalOf(isZero(v) ? undefined : v)),
  celFunc('optional.none', [], T, () => optionalOf(undefined)),
  celMethod('hasValue', T, [], BOOL, function hasValue() { return held(this) !== NONE; }),
  celMethod('value', T, [], DYN, function value() {
    const v = held(this);
    if (v === NONE) throw new Error('optional.none() dereference');
    return v;
  }),
  celMethod('or', T, [T], T, function or(other) { return held(this) === NONE ? other : this; }),
  celMethod('orValue', T, [DYN], DYN, function orValue(other) {
    const v = held(this);
    return v === NONE ? other : v;
  }),
];
