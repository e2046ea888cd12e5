// Field sets as server-side apply keeps them (sigs.k8s.io/structured-merge-diff fieldpath): a tree of
// path elements — `f:<field>`, `k:{<merge keys>}` (associative list item), `v:<value>` (set item),
// `i:<index>` — where a node may be a member (the path itself is owned, `".": {}` when it also has
// children) and have children. Serialized as the `fieldsV1` of managedFields entries.
import { PatchError } from './errors';
import { isObject, type JsonObject } from './json';

export type PathElement =
  | { readonly f: string }
  | { readonly k: ReadonlyArray<readonly [string, unknown]> }
  | { readonly v: unknown }
  | { readonly i: number };
export type Path = readonly PathElement[];

export function field(name: string): PathElement { return { f: name }; }
export function keyed(fields: Record<string, unknown>): PathElement {
  return { k: Object.keys(fields).sort().map((n) => [n, fields[n]] as const) };
}
export function valueElement(v: unknown): PathElement { return { v }; }

function rank(pe: PathElement): number {
  return 'f' in pe ? 0 : 'k' in pe ? 1 : 'v' in pe ? 2 : 3;
}

function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isObject(v)) return 4;
  return 5;
}

function cmpStr(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

/** structured-merge-diff's total order of values: numbers < strings < bools < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return cmpStr(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) return cmpStr(canonicalJson(a), canonicalJson(b));
  return 0;
}

export function comparePathElements(a: PathElement, b: PathElement): number {
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  if ('f' in a && 'f' in b) return cmpStr(a.f, b.f);
  if ('k' in a && 'k' in b) {
    for (let i = 0; i < Math.min(a.k.length, b.k.length); i++) {
      const c = cmpStr(a.k[i][0], b.k[i][0]) || compareValues(a.k[i][1], b.k[i][1]);
      if (c !== 0) return c;
    }
    return a.k.length - b.k.length;
  }
  if ('v' in a && 'v' in b) return compareValues(a.v, b.v);
  if ('i' in a && 'i' in b) return a.i - b.i;
  return 0;
}

/** JSON with object keys sorted, so that equal values serialize equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}

export function serializePathElement(pe: PathElement): string {
  if ('f' in pe) return `f:${pe.f}`;
  if ('k' in pe) return `k:{${pe.k.map(([n, v]) => `${JSON.stringify(n)}:${canonicalJson(v)}`).join(',')}}`;
  if ('v' in pe) return `v:${canonicalJson(pe.v)}`;
  return `i:${pe.i}`;
}

/** Parses a path element; undefined for an unknown element type (ignored, as Kubernetes does). */
export function parsePathElement(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new PatchError(`invalid path element ${JSON.stringify(s)}: missing colon`);
  const body = s.slice(2);
  try {
    switch (s[0]) {
      case 'f': return { f: body };
      case 'v': return { v: JSON.parse(body) as unknown };
      case 'i': {
        if (!/^-?[0-9]+$/.test(body)) throw new Error('not an index');
        return { i: Number(body) };
      }
      case 'k': {
        const obj: unknown = JSON.parse(body);
        if (!isObject(obj)) throw new Error('key is not an object');
        return keyed(obj);
      }
      default: return undefined;
    }
  } catch (e) {
    throw new PatchError(`invalid path element ${JSON.stringify(s)}: ${(e as Error).message}`);
  }
}

function quote(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) || isObject(v) ? canonicalJson(v) : String(v);
}

/** Human-readable path, as in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathToString(path: Path): string {
  return path.map((pe) => {
    if ('f' in pe) return `.${pe.f}`;
    if ('k' in pe) return `[${pe.k.map(([n, v]) => `${n}=${quote(v)}`).join(',')}]`;
    if ('v' in pe) return `[=${quote(pe.v)}]`;
    return `[${pe.i}]`;
  }).join('');
}

interface Node { readonly pe: PathElement; set: FieldSet }

/** A copy of an encoded field set (nested objects only; keys are path elements, never `__proto__`). */
function copyTree(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k in o) out[k] = copyTree(o[k] as JsonObject);
  return out;
}

/** Freezes an encoded field set (nested objects only); a frozen node's children are frozen already. */
function deepFreezeTree(o: JsonObject): JsonObject {
  if (Object.isFrozen(o)) return o;
  for (const k in o) deepFreezeTree(o[k] as JsonObject);
  return Object.freeze(o);
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Node>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** The fieldsV1 encodings of this node without and with its `"."` entry, once computed (cleared by insert). */
  private encoded: JsonObject | undefined;
  private encodedSelf: JsonObject | undefined;

  /**
   * Adds a path (builder use: only on a set still being built). The set operations below never
   * modify their operands, and may return an operand itself when the result equals it.
   */
  insert(path: Path): this {
    return this.insertSerialized(path, path.map(serializePathElement));
  }

  /** insert(path), given each element's serialization (`keys[i]` = serializePathElement(path[i])). */
  insertSerialized(path: Path, keys: readonly string[]): this {
    const last = path.length - 1;
    if (last < 0) return this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks down from this node
    let node: FieldSet = this;
    for (let i = 0; i < last; i++) {
      node.encoded = node.encodedSelf = undefined;
      node = node.childOrCreate(path[i], keys[i]);
    }
    node.encoded = node.encodedSelf = undefined;
    node.members.set(keys[last], path[last]);
    return this;
  }

  private childOrCreate(pe: PathElement, key: string): FieldSet {
    let node = this.children.get(key);
    if (!node) {
      node = { pe, set: new FieldSet() };
      this.children.set(key, node);
    }
    return node.set;
  }

  has(path: Path): boolean {
    const last = path.length - 1;
    if (last < 0) return false;
    if (last === 0) return this.members.has(serializePathElement(path[0]));
    let node: FieldSet | undefined = this.children.get(serializePathElement(path[0]))?.set;
    for (let i = 1; i < last && node; i++) node = node.children.get(serializePathElement(path[i]))?.set;
    return node?.members.has(serializePathElement(path[last])) ?? false;
  }

  /** Whether `pe` is a member directly under this node. */
  hasMember(pe: PathElement): boolean { return this.members.has(serializePathElement(pe)); }

  /** The subset below `pe` (empty if none). */
  withPrefix(pe: PathElement): FieldSet { return this.children.get(serializePathElement(pe))?.set ?? new FieldSet(); }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const n of this.children.values()) if (!n.set.isEmpty()) return false;
    return true;
  }

  private static build(members: Iterable<[string, PathElement]>, children: Iterable<[string, Node]>): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of members) out.members.set(k, pe);
    for (const [k, n] of children) if (!n.set.isEmpty()) out.children.set(k, n);
    return out;
  }

  /** This set when `o` adds nothing to it (so that an unchanged set keeps its identity). */
  union(o: FieldSet): FieldSet {
    if (o === this || o.isEmptyNode()) return this;
    if (this.isEmptyNode()) return o;
    let changed = false;
    for (const k of o.members.keys()) {
      if (!this.members.has(k)) {
        changed = true;
        break;
      }
    }
    const children = new Map(this.children);
    for (const [k, n] of o.children) {
      const mine = children.get(k);
      if (!mine) {
        children.set(k, n);
        changed = true;
        continue;
      }
      const u = mine.set.union(n.set);
      if (u !== mine.set) {
        children.set(k, { pe: n.pe, set: u });
        changed = true;
      }
    }
    if (!changed) return this;
    return FieldSet.build([...this.members, ...o.members], children);
  }

  intersection(o: FieldSet): FieldSet {
    const members = [...this.members].filter(([k]) => o.members.has(k));
    const children: Array<[string, Node]> = [];
    for (const [k, n] of this.children) {
      const theirs = o.children.get(k);
      if (theirs) children.push([k, { pe: n.pe, set: n.set.intersection(theirs.set) }]);
    }
    return FieldSet.build(members, children);
  }

  /** Members of this set that are not members of `o` (children compared recursively); this set when none is. */
  difference(o: FieldSet): FieldSet {
    return this.subtract(o, false);
  }

  /** Like difference, but a member of `o` also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    return this.subtract(o, true);
  }

  private subtract(o: FieldSet, recursive: boolean): FieldSet {
    if (o.isEmptyNode() || this.isEmptyNode()) return this;
    let changed = false;
    const members: Array<[string, PathElement]> = [];
    for (const e of this.members) {
      if (o.members.has(e[0])) changed = true;
      else members.push(e);
    }
    const children: Array<[string, Node]> = [];
    for (const e of this.children) {
      const [k, n] = e;
      if (recursive && o.members.has(k)) {
        changed = true;
        continue;
      }
      const theirs = o.children.get(k);
      if (!theirs) {
        children.push(e);
        continue;
      }
      const rest = n.set.subtract(theirs.set, recursive);
      if (rest === n.set) {
        children.push(e);
      } else {
        changed = true;
        children.push([k, { pe: n.pe, set: rest }]);
      }
    }
    if (!changed) return this;
    return FieldSet.build(members, children);
  }

  /** No members and no children at this node (children are never empty sets, so: the empty set). */
  private isEmptyNode(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  equals(o: FieldSet): boolean {
    return JSON.stringify(this.toFieldsV1()) === JSON.stringify(o.toFieldsV1());
  }

  /** Every member path, in structured-merge-diff order. */
  paths(): Path[] {
    const out: Path[] = [];
    for (const e of this.sortedEntries()) {
      if (e.member) out.push([e.pe]);
      if (e.child) for (const p of e.child.paths()) out.push([e.pe, ...p]);
    }
    return out;
  }

  /** Immediate children nodes (path element and subset), for walkers. */
  childEntries(): Array<{ pe: PathElement; set: FieldSet }> {
    return [...this.children.values()].map((n) => ({ pe: n.pe, set: n.set }));
  }
  memberEntries(): PathElement[] { return [...this.members.values()]; }

  private sortedEntries(): Array<{ pe: PathElement; member: boolean; child?: FieldSet }> {
    const keys = new Set([...this.members.keys(), ...this.children.keys()]);
    return [...keys].map((k) => {
      const pe = this.members.get(k) ?? (this.children.get(k) as Node).pe;
      return { pe, member: this.members.has(k), child: this.children.get(k)?.set };
    }).sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** The managedFields `fieldsV1` encoding (a fresh copy: the encoding is computed once per set). */
  toFieldsV1(): JsonObject {
    return copyTree(this.emit(false));
  }

  /**
   * The same encoding without the copy: the set's own, frozen, shared by every object that records
   * this set (the managedFields the registry writes; nothing changes an entry's fieldsV1 in place).
   */
  frozenFieldsV1(): JsonObject {
    return deepFreezeTree(this.emit(false));
  }

  /** The encoding of this node, shared: callers copy it before handing it out. */
  private emit(includeSelf: boolean): JsonObject {
    const cached = includeSelf ? this.encodedSelf : this.encoded;
    if (cached) return cached;
    // Map keys are the serialized path elements. Field names alone sort as their keys do.
    const keys: string[] = [...this.members.keys()];
    let fieldsOnly = true;
    for (const k of keys) if (k.charCodeAt(0) !== 0x66 /* f */) fieldsOnly = false;
    for (const [k, n] of this.children) {
      if (this.members.has(k) || n.set.isEmpty()) continue;
      keys.push(k);
      if (k.charCodeAt(0) !== 0x66) fieldsOnly = false;
    }
    if (fieldsOnly) keys.sort(cmpStr);
    else keys.sort((a, b) => comparePathElements(this.elementOf(a), this.elementOf(b)));
    const out: JsonObject = {};
    if (includeSelf && keys.length > 0) out['.'] = {};
    for (const key of keys) {
      const child = this.children.get(key)?.set;
      out[key] = child && !child.isEmpty() ? child.emit(this.members.has(key)) : {};
    }
    if (includeSelf) this.encodedSelf = out;
    else this.encoded = out;
    return out;
  }

  private elementOf(key: string): PathElement {
    return this.members.get(key) ?? (this.children.get(key) as Node).pe;
  }

  static fromFieldsV1(json: unknown): FieldSet {
    if (!isObject(json)) throw new PatchError('invalid fieldsV1: not an object');
    return FieldSet.read(json).children ?? new FieldSet();
  }

  private static read(json: JsonObject): { children: FieldSet | undefined; isMember: boolean } {
    let children: FieldSet | undefined;
    let isMember = false;
    for (const [key, value] of Object.entries(json)) {
      if (key === '.') {
        isMember = true;
        continue;
      }
      const pe = parsePathElement(key);
      if (!pe) continue;
      if (!isObject(value)) throw new PatchError(`invalid fieldsV1 at ${JSON.stringify(key)}: not an object`);
      const sub = FieldSet.read(value);
      children ??= new FieldSet();
      if (sub.isMember) children.members.set(serializePathElement(pe), pe);
      if (sub.children) children.children.set(serializePathElement(pe), { pe, set: sub.children });
    }
    if (!children) isMember = true;
    return { children, isMember };
  }
}
