// cel-go's optional values (cel.OptionalTypes, in Kubernetes' CEL environment since 1.28) as functions:
// optional.of, optional.ofNonZeroValue, optional.none, and an optional's hasValue, value, or and orValue; with
// __optSelect, __optIndex, __optList and __optMap, what the optional syntax is rewritten into
// (cel-optional-syntax.ts, which also expands cel-go's optMap/optFlatMap macros).
import { CelScalar, celFunc, celMethod, isCelList, isCelMap, isCelType, isCelUint, listType, mapType, type CelInput, type CelList, type CelUint, type CelValue } from '@bufbuild/cel';
import { toJsonString } from '@bufbuild/protobuf';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { CelOpaque } from './cel-types';

const { DYN, BOOL } = CelScalar;

/** A value's text for `==` between optionals: equal CEL values, equal texts (1 and 1.0 alike, map keys sorted). */
function keyOf(v: CelInput): string {
  if (typeof v === 'bigint' || typeof v === 'number') return `n:${String(v)}`;
  if (isCelUint(v)) return `n:${String(v.value)}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (typeof v === 'boolean' || v === null) return String(v);
  if (v instanceof Uint8Array) return `b:${Buffer.from(v).toString('hex')}`;
  if (isCelList(v) || Array.isArray(v)) return `[${[...(v as Iterable<CelInput>)].map(keyOf).join(',')}]`;
  if (isCelMap(v) || v instanceof Map) return `{${[...(v as Map<CelInput, CelInput>)].map(([k, x]) => `${keyOf(k)}:${keyOf(x)}`).sort().join(',')}}`;
  if (isReflectMessage(v)) return `m:${v.desc.typeName}:${toJsonString(v.desc, v.message)}`;
  if (isCelType(v)) return `t:${v.name}`;
  return keyOf(new Map(Object.entries(v as Record<string, CelInput>)));
}

/** The optional's value, or `NONE`. */
const NONE = Symbol('optional.none');
type Held = CelInput | typeof NONE;

export const OPTIONAL = new CelOpaque<{ has: boolean; key: string }, Held>('', 'optional_type', { has: 'bool', key: 'string' });

export const optionalOf = (v: CelInput | undefined) => (v === undefined ? OPTIONAL.of({ has: false, key: '' }, NONE) : OPTIONAL.of({ has: true, key: keyOf(v) }, v));

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

/** What an optional selection or index reads: an optional's value (undefined when it has none), or the value itself. */
function through(x: CelValue): CelInput | undefined {
  const h = OPTIONAL.data(x);
  if (h === undefined) return x;
  return h === NONE ? undefined : h;
}

/** optional.of(v[key]) when the map (or object) `v` has the key, else optional.none(). */
function byKey(v: CelInput, key: CelValue) {
  if (isCelMap(v) || v instanceof Map) {
    const m = v as ReadonlyMap<unknown, CelInput>;
    return optionalOf(m.has(key) ? m.get(key) : undefined);
  }
  if (typeof key === 'string' && typeof v === 'object' && v !== null && !isCelList(v) && !Array.isArray(v) && !isReflectMessage(v) && !(v instanceof Uint8Array)) {
    const o = v as Record<string, CelInput>;
    return optionalOf(Object.hasOwn(o, key) ? o[key] : undefined);
  }
  throw new Error('no such overload');
}

/** `x.?f` (cel-optional-syntax.ts): optional.of(x.f) when x has the field or key f, else optional.none(). */
function optSelect(x: CelValue, field: string) {
  const v = through(x);
  return v === undefined || v === null ? optionalOf(undefined) : byKey(v, field);
}

/** `x[?k]`: optional.of(x[k]) when the list has the index or the map the key, else optional.none(). */
function optIndex(x: CelValue, k: CelValue) {
  const v = through(x);
  if (v === undefined || v === null) return optionalOf(undefined);
  if (!isCelList(v) && !Array.isArray(v)) return byKey(v, k);
  const items = [...(v as Iterable<CelInput>)];
  const i = typeof k === 'bigint' ? Number(k) : isCelUint(k) ? Number(k.value) : typeof k === 'number' && Number.isInteger(k) ? k : NaN;
  if (Number.isNaN(i)) throw new Error('no such overload');
  return optionalOf(i >= 0 && i < items.length ? items[i] : undefined);
}

/** `[a, ?b]`: the values of the optionals that have one. */
function optList(l: CelList): CelInput[] {
  return [...l].flatMap((o) => {
    const h = held(o);
    return h === NONE ? [] : [h];
  });
}

/** `{k: v, ?o: w}`: the entries whose optional has a value; a key twice is cel-go's error. */
type MapKey = string | bigint | boolean | CelUint;

function optMap(entries: CelList): Map<MapKey, CelInput> {
  const out = new Map<MapKey, CelInput>();
  for (const e of entries) {
    const [k, o] = [...(e as CelList)];
    const h = held(o);
    if (h === NONE) continue;
    if (typeof k !== 'string' && typeof k !== 'bigint' && typeof k !== 'boolean' && !isCelUint(k)) throw new Error('unsupported key type');
    if ([...out.keys()].some((x) => keyOf(x) === keyOf(k))) throw new Error(`Failed with repeated key: ${keyOf(k)}`);
    out.set(k, h);
  }
  return out;
}

export const OPTIONAL_FUNCS = [
  celFunc('__optList', [listType(DYN)], listType(DYN), (l) => optList(l)),
  celFunc('__optMap', [listType(DYN)], mapType(DYN, DYN), (l) => optMap(l)),
  celFunc('__optSelect', [DYN, CelScalar.STRING], T, (x, f) => optSelect(x, f)),
  celFunc('__optIndex', [DYN, DYN], T, (x, k) => optIndex(x, k)),
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
