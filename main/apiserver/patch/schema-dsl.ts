// A tiny language for describing how the fields of a kind merge: enough of the Go struct tags
// (`patchStrategy`, `patchMergeKey`) and of the OpenAPI list/map/struct types (`listType`,
// `listMapKey`, `mapType`, `structType`) for strategic merge patch and server-side apply.
// Only what differs from the default needs describing: an undeclared field of a struct is a
// struct whose own lists are atomic, as almost every unannotated Kubernetes field is.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys' | undefined;
export type ListType = 'map' | 'set' | 'atomic';

export interface NodeDef {
  readonly kind: 'struct' | 'map' | 'list' | 'scalar';
  /** struct: the declared fields worth describing. */
  readonly fields?: Readonly<Record<string, NodeDef>>;
  /** list: the element; map: the value. */
  readonly elem?: NodeDef;
  /** The `patchStrategy` tag of the field holding this value. */
  readonly strategy?: PatchStrategy;
  /** The `patchMergeKey` tag (strategic merge patch). */
  readonly mergeKey?: string;
  /** Server-side apply list type and keys (`+listType`, `+listMapKey`). */
  readonly listType?: ListType;
  readonly mapKeys?: readonly string[];
  /** Values the API server defaults a missing map key to (ports: protocol TCP). */
  readonly keyDefaults?: Readonly<Record<string, string>>;
  /** `+structType=atomic` / `+mapType=atomic`: replaced as a whole by server-side apply. */
  readonly atomic?: boolean;
  /** A non-pointer Go struct: always present in the typed zero object. */
  readonly embedded?: boolean;
}

export const scalar: NodeDef = { kind: 'scalar' };

export function struct(fields: Record<string, NodeDef>, opts: { atomic?: boolean; embedded?: boolean; strategy?: PatchStrategy } = {}): NodeDef {
  return { kind: 'struct', fields, ...opts };
}

/** A non-pointer struct field (`spec`, `template`, …). */
export function embedded(def: NodeDef): NodeDef {
  return { ...def, embedded: true };
}

/** map[string]string and the like: every key is its own field. */
export function stringMap(opts: { atomic?: boolean } = {}): NodeDef {
  return { kind: 'map', elem: scalar, ...opts };
}

/** A list merged by key: `patchStrategy:"merge" patchMergeKey:key`, `+listType=map`. */
export function keyedList(
  mergeKey: string,
  elem: NodeDef,
  opts: { mapKeys?: readonly string[]; strategy?: PatchStrategy; listType?: ListType; keyDefaults?: Record<string, string> } = {},
): NodeDef {
  return {
    kind: 'list', elem, mergeKey,
    strategy: opts.strategy ?? 'merge',
    listType: opts.listType ?? 'map',
    mapKeys: opts.listType === 'atomic' ? undefined : (opts.mapKeys ?? [mergeKey]),
    keyDefaults: opts.keyDefaults,
  };
}

/** A list of primitives merged as a set (finalizers, podCIDRs). */
export function primitiveSet(opts: { strategy?: PatchStrategy } = {}): NodeDef {
  return { kind: 'list', elem: scalar, strategy: opts.strategy, listType: 'set' };
}

/** A list replaced as a whole (`+listType=atomic`, no patch strategy). */
export function atomicList(elem: NodeDef = scalar): NodeDef {
  return { kind: 'list', elem, listType: 'atomic' };
}

/** A list of conditions keyed by `type`. */
export function conditions(): NodeDef {
  return keyedList('type', struct({}));
}
