// How each field of an object merges, for strategic merge patch and server-side apply.
// `patchMetaFor(apiVersion, kind)` gives the root; descend with `child(field)` (struct field or map
// value) and `elem()` (list element). Kinds we do not know get JSON-merge-like semantics: maps
// merge field by field, lists are replaced, every map key is its own field.
import { kindSchema } from './schema-kinds';
import type { ListType, NodeDef, PatchStrategy } from './schema-dsl';

export type { ListType, PatchStrategy } from './schema-dsl';

export interface PatchMeta {
  /** struct: named fields; map: a map whose keys are data (labels); list; scalar; deduced: unknown kind. */
  readonly type: 'struct' | 'map' | 'list' | 'scalar' | 'deduced';
  readonly strategy: PatchStrategy;
  readonly mergeKey?: string;
  readonly listType?: ListType;
  readonly mapKeys?: readonly string[];
  readonly keyDefaults?: Readonly<Record<string, string>>;
  /** Replaced as a whole by server-side apply (atomic struct, map or list). */
  readonly atomic: boolean;
  /** A non-pointer struct: always present in the zero object, so never owned by itself. */
  readonly embedded: boolean;
  child(field: string): PatchMeta;
  elem(): PatchMeta;
}

// An undeclared field of a known struct: a struct if it holds an object; callers treat a list
// found where the meta is not a list as atomic, as almost every unannotated Kubernetes list is.
const LOOSE_STRUCT: NodeDef = { kind: 'struct', fields: {} };

class SchemaMeta implements PatchMeta {
  constructor(private readonly def: NodeDef) {}

  get type(): PatchMeta['type'] { return this.def.kind; }
  get strategy(): PatchStrategy { return this.def.strategy; }
  get mergeKey(): string | undefined { return this.def.mergeKey; }
  get listType(): ListType | undefined { return this.def.kind === 'list' ? (this.def.listType ?? 'atomic') : undefined; }
  get mapKeys(): readonly string[] | undefined { return this.def.mapKeys; }
  get keyDefaults(): Readonly<Record<string, string>> | undefined { return this.def.keyDefaults; }
  get atomic(): boolean { return this.def.atomic === true || this.listType === 'atomic'; }
  get embedded(): boolean { return this.def.embedded === true; }

  child(field: string): PatchMeta {
    const d = this.def;
    if (d.kind === 'map') return new SchemaMeta(d.elem ?? LOOSE_STRUCT);
    if (d.kind === 'list') return this.elem().child(field);
    return new SchemaMeta(d.fields?.[field] ?? LOOSE_STRUCT);
  }

  elem(): PatchMeta {
    return new SchemaMeta(this.def.kind === 'list' ? (this.def.elem ?? LOOSE_STRUCT) : LOOSE_STRUCT);
  }
}

class DeducedMeta implements PatchMeta {
  readonly type = 'deduced' as const;
  readonly strategy: PatchStrategy = undefined;
  readonly listType: ListType = 'atomic';
  readonly atomic = false;
  readonly embedded = false;
  child(): PatchMeta { return DEDUCED; }
  elem(): PatchMeta { return DEDUCED; }
}
const DEDUCED: PatchMeta = new DeducedMeta();

// One root meta per kind schema (metas are immutable), so that a kind's meta keeps one identity.
const roots = new WeakMap<NodeDef, PatchMeta>();

export function patchMetaFor(apiVersion: string, kind: string): PatchMeta {
  const def = kindSchema(apiVersion, kind);
  if (!def) return DEDUCED;
  let meta = roots.get(def);
  if (!meta) {
    meta = new SchemaMeta(def);
    roots.set(def, meta);
  }
  return meta;
}

/** The meta of a kind we know nothing about (JSON-merge-like). */
export function deducedMeta(): PatchMeta {
  return DEDUCED;
}
