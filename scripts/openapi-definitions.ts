// Turns the parsed Kubernetes sources (k8s-sources.ts) into OpenAPI definitions the way kube-openapi's openapi-gen
// does: descriptions from the Go doc comments (fmtRawDoc), required from +optional/omitempty, the list, map, struct
// and patch extensions from comment and struct tags, enums from +enum types, and the special types (Quantity,
// IntOrString, Time, RawExtension, …) in their own JSON form. Definitions are written in the generated file's form
// (main/apiserver/openapi/definitions.ts): `$ref` holds a bare definition name, `default` is for OpenAPI v3 only.
import type { Definition, SchemaNode } from '../main/apiserver/openapi/definitions';
import type { GoEnum, GoField, GoPackage, GoStruct, K8sPackage, ProtoField } from './k8s-sources';

export interface Sources {
  packages: Record<string, K8sPackage>;
  /** Messages by qualified name (`core/v1.Pod`). */
  protos: Map<string, ProtoField[]>;
  /** Go declarations by short package prefix (`core/v1`). */
  go: Map<string, GoPackage>;
}

/** kube-openapi's fmtRawDoc: paragraphs kept, generator tags and one-line TODOs dropped, nothing after `---`. */
export function fmtRawDoc(lines: readonly string[]): string {
  const raw = lines.join('\n').split('---')[0];
  let buf = '';
  const delPrevChar = () => { if (buf.length > 0) buf = buf.slice(0, -1); };
  for (let line of raw.split('\n')) {
    line = line.replace(/ +$/, '');
    const leading = line.replace(/^ +/, '');
    if (line.length === 0) {
      delPrevChar();
      buf += '\n\n';
    } else if (leading.startsWith('TODO') || leading.startsWith('+')) {
      continue;
    } else if (line.startsWith(' ') || line.startsWith('\t')) {
      delPrevChar();
      buf += `\n${line}\n`;
    } else {
      buf += `${line} `;
    }
  }
  return buf.replace(/^\n+/, '').replace(/\n+$/, '').replace(/ +$/, '');
}

/** Comment tags `+name=value` (every value of a repeated tag, in order). */
function commentTags(lines: readonly string[]): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const line of lines) {
    const m = /^\s*\+([\w:.-]+)(?:=(.*))?$/.exec(line);
    if (!m) continue;
    tags.set(m[1], [...(tags.get(m[1]) ?? []), (m[2] ?? '').trim()]);
  }
  return tags;
}

/** Messages written in their own JSON form, not field by field (their descriptions still come from the Go docs). */
const SPECIAL: Record<string, Omit<Definition, 'description'>> = {
  'resource.Quantity': { type: 'string' },
  'intstr.IntOrString': { type: 'string', format: 'int-or-string' },
  'meta/v1.Time': { type: 'string', format: 'date-time' },
  'meta/v1.MicroTime': { type: 'string', format: 'date-time' },
  'meta/v1.Duration': { type: 'string' },
  'meta/v1.FieldsV1': { type: 'object' },
  'runtime.RawExtension': { type: 'object' },
  'apiextensions/v1.JSON': {},
  'apiextensions/v1.JSONSchemaPropsOrArray': {},
  'apiextensions/v1.JSONSchemaPropsOrBool': {},
  'apiextensions/v1.JSONSchemaPropsOrStringArray': {},
};

/** Named slices of strings (`type ExtraValue []string`): written inline as arrays. */
const STRING_LISTS = new Set(['authentication/v1.ExtraValue', 'authorization/v1.ExtraValue', 'certificates/v1.ExtraValue', 'meta/v1.Verbs']);

const SCALAR_SCHEMAS: Record<string, SchemaNode> = {
  string: { type: 'string' }, bytes: { type: 'string', format: 'byte' }, bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' }, int64: { type: 'integer', format: 'int64' },
  uint32: { type: 'integer', format: 'int32' }, uint64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' }, float: { type: 'number', format: 'float' },
};

const ZERO: Record<string, unknown> = { string: '', bytes: '', bool: false, int32: 0, int64: 0, uint32: 0, uint64: 0, double: 0, float: 0 };

function splitName(qualified: string): [prefix: string, name: string] {
  const i = qualified.lastIndexOf('.');
  return [qualified.slice(0, i), qualified.slice(i + 1)];
}

export class DefinitionBuilder {
  readonly definitions: Record<string, Definition> = {};
  private readonly openapiPrefix = new Map<string, string>();
  private readonly queue: string[] = [];

  constructor(private readonly src: Sources) {
    for (const p of Object.values(src.packages)) this.openapiPrefix.set(p.prefix, p.openapi);
  }

  /** The OpenAPI name of a qualified message name: `core/v1.Pod` → `io.k8s.api.core.v1.Pod`. */
  nameOf(qualified: string): string {
    const [prefix, name] = splitName(qualified);
    const p = this.openapiPrefix.get(prefix);
    if (!p) throw new Error(`no package ${prefix}`);
    return `${p}.${name}`;
  }

  /** Adds the definition of `qualified` and of everything it reaches; returns its OpenAPI name. */
  add(qualified: string): string {
    this.queue.push(qualified);
    while (this.queue.length > 0) {
      const next = this.queue.shift()!;
      const name = this.nameOf(next);
      if (!this.definitions[name]) this.definitions[name] = this.build(next);
    }
    return this.nameOf(qualified);
  }

  private struct(qualified: string): GoStruct {
    const [prefix, name] = splitName(qualified);
    const s = this.src.go.get(prefix)?.structs.get(name);
    if (!s) throw new Error(`no Go struct for ${qualified}`);
    return s;
  }

  private build(qualified: string): Definition {
    const struct = this.struct(qualified);
    const description = fmtRawDoc(struct.comments);
    const special = SPECIAL[qualified];
    if (special) return sortKeys({ description, ...special });
    const properties: Record<string, SchemaNode> = {};
    const required: string[] = [];
    this.collect(qualified, properties, required);
    const def: Definition = { description, type: 'object', properties: sortKeys(properties) };
    if (required.length) def.required = required;
    const tags = commentTags(struct.comments);
    const structType = tags.get('structType')?.[0] ?? tags.get('mapType')?.[0];
    if (structType) def['x-kubernetes-map-type'] = structType;
    return sortKeys(def);
  }

  /** The properties of a message, with its inline members (TypeMeta, VolumeSource, ProbeHandler, …) flattened in. */
  private collect(qualified: string, properties: Record<string, SchemaNode>, required: string[]): void {
    const struct = this.struct(qualified);
    const fields = this.src.protos.get(qualified);
    if (!fields) throw new Error(`no message ${qualified}`);
    for (const g of struct.fields) {
      if (g.protoNo === undefined && g.inline && /(^|\.)TypeMeta$/.test(g.goType)) this.collect('meta/v1.TypeMeta', properties, required);
    }
    for (const f of fields) {
      const g = struct.byNumber.get(f.no);
      if (!g) throw new Error(`${qualified}: no Go field for protobuf field ${f.no} (${f.name})`);
      if (g.inline) {
        this.collect(f.type, properties, required);
        continue;
      }
      const json = g.json || f.name;
      if (json === '-') continue;
      properties[json] = this.field(qualified, f, g);
      const tags = commentTags(g.comments);
      if (!tags.has('optional') && !g.omitEmpty) required.push(json);
    }
  }

  /** The schema of one element type (a scalar, a special inline form, or a reference). */
  private element(type: string): SchemaNode {
    const scalar = SCALAR_SCHEMAS[type];
    if (scalar) return { ...scalar };
    if (STRING_LISTS.has(type)) return { type: 'array', items: { type: 'string', default: '' } };
    this.queue.push(type);
    return { $ref: this.nameOf(type) };
  }

  /** The v3 default of an element that is not a pointer: {} for a struct, the zero value for a scalar. */
  private zero(type: string): unknown {
    if (type in ZERO) return ZERO[type];
    if (SPECIAL[type] || STRING_LISTS.has(type)) return undefined;
    return {};
  }

  private field(owner: string, f: ProtoField, g: GoField): SchemaNode {
    const tags = commentTags(g.comments);
    const enumType = this.enumOf(owner, g);
    const comments = enumType ? [...g.comments, '', 'Possible enum values:', ...enumLines(enumType)] : g.comments;
    const elementPointer = /^(\[\]|map\[[^\]]*\])\*/.test(g.goType);
    let schema: SchemaNode;
    if (f.type === 'map') {
      const value = this.element(f.mapValue!);
      const def = elementPointer ? undefined : this.zero(f.mapValue!);
      schema = { type: 'object', additionalProperties: def === undefined ? value : { ...value, default: def } };
    } else if (f.repeated && f.type !== 'bytes') {
      const item = this.element(f.type);
      const def = elementPointer ? undefined : this.zero(f.type);
      schema = { type: 'array', items: def === undefined ? item : { ...item, default: def } };
    } else {
      schema = this.element(f.type);
      const explicit = parseDefault(tags.get('default')?.[0]);
      if (explicit !== undefined) schema.default = explicit;
      else if (!g.pointer && (!(f.type in ZERO) || !g.omitEmpty)) {
        const def = this.zero(f.type);
        if (def !== undefined) schema.default = def;
      }
    }
    const description = fmtRawDoc(comments);
    if (description) schema.description = description;
    if (enumType && schema.type === 'string') schema.enum = [...new Set(enumType.values.map((v) => v.value))].sort();
    const ext = (key: `x-kubernetes-${string}`, value: unknown) => { if (value !== undefined) schema[key] = value; };
    ext('x-kubernetes-list-map-keys', tags.get('listMapKey'));
    ext('x-kubernetes-list-type', tags.get('listType')?.[0]);
    ext('x-kubernetes-map-type', tags.get('mapType')?.[0] ?? tags.get('structType')?.[0]);
    ext('x-kubernetes-patch-merge-key', tags.get('patchMergeKey')?.[0] ?? g.patchMergeKey);
    ext('x-kubernetes-patch-strategy', tags.get('patchStrategy')?.[0] ?? g.patchStrategy);
    return sortKeys(schema);
  }

  /** The `+enum` type of a field declared with a named string type of the owner's package (`RestartPolicy`, `*PullPolicy`). */
  private enumOf(owner: string, g: GoField): GoEnum | undefined {
    const bare = g.goType.replace(/^\*/, '');
    if (!/^\w+$/.test(bare)) return undefined;
    const e = this.src.go.get(splitName(owner)[0])?.enums.get(bare);
    return e && e.values.length > 0 ? e : undefined;
  }
}

/** openapi-gen's enum lines: `` - `"Value"` comment`` with the constant's name trimmed off, sorted by value. */
function enumLines(e: GoEnum): string[] {
  return [...e.values].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).map((v) => {
    const comment = v.comments.join(' ').trim().replace(new RegExp(`^${v.name}`), '').trim().replace(/\s+/g, ' ');
    return ` - \`${JSON.stringify(v.value)}\` ${comment}`.replace(/ +$/, '');
  });
}

function parseDefault(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined; // +default=ref(Constant): a reference the generator would resolve; left out here.
  }
}

export function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}

export function sourcesFrom(packages: Record<string, K8sPackage>, parseProto: (pkg: string) => Map<string, ProtoField[]>,
  parseGo: (p: K8sPackage) => GoPackage): Sources {
  const protos = new Map<string, ProtoField[]>();
  const go = new Map<string, GoPackage>();
  for (const [pkg, p] of Object.entries(packages)) {
    if (p.prefix === 'schema') continue;
    for (const [name, fields] of parseProto(pkg)) protos.set(`${p.prefix}.${name}`, fields);
    go.set(p.prefix, parseGo(p));
  }
  return { packages, protos, go };
}
