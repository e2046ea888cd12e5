// The API's OpenAPI v3 schemas over a YAML text: the schema of a document's apiVersion/kind, the schema at a path,
// the path of the key being typed at the cursor (from indentation, so it works while the text is incomplete), the
// fields to offer there, and a check of a document against its schema (unknown fields, wrong scalar types).
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { OpenApiSchema } from '../../../main/bridge/contract';
import type { YamlDiagnostic } from './yaml-fields';
import { groupVersion } from './group-version';

export type Schemas = Record<string, OpenApiSchema>;

export function kindSchema(schemas: Schemas, apiVersion: string, kind: string): OpenApiSchema | undefined {
  const { group, version } = groupVersion(apiVersion);
  return Object.values(schemas).find((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.group === group && g.version === version && g.kind === kind));
}

/** A schema with its $ref and allOf followed (OpenAPI v3 wraps references as allOf: [{$ref}]). */
export function resolve(s: OpenApiSchema | undefined, schemas: Schemas, depth = 0): OpenApiSchema | undefined {
  if (!s || depth > 20) return s;
  if (s.$ref) {
    const target = schemas[s.$ref.replace(/^#\/components\/schemas\//, '')];
    const { $ref: _ref, ...rest } = s;
    return resolve({ ...target, ...rest, description: s.description ?? target?.description }, schemas, depth + 1);
  }
  if (s.allOf?.length) {
    const { allOf, ...rest } = s;
    const parts = allOf.map((p) => resolve(p, schemas, depth + 1) ?? {});
    return parts.reduce<OpenApiSchema>((acc, p) => ({ ...p, ...acc, properties: { ...p.properties, ...acc.properties } }), rest);
  }
  return s;
}

/** The schema one step down: a key of an object ('[]' is a sequence's item). */
export function childSchema(s: OpenApiSchema | undefined, seg: string | number, schemas: Schemas): OpenApiSchema | undefined {
  const r = resolve(s, schemas);
  if (!r) return undefined;
  if (seg === '[]' || typeof seg === 'number') return resolve(r.items, schemas);
  const prop = r.properties?.[seg];
  if (prop) return resolve(prop, schemas);
  return typeof r.additionalProperties === 'object' ? resolve(r.additionalProperties, schemas) : undefined;
}

export function schemaAt(root: OpenApiSchema | undefined, path: Array<string | number>, schemas: Schemas): OpenApiSchema | undefined {
  let s = resolve(root, schemas);
  for (const seg of path) s = childSchema(s, seg, schemas);
  return s;
}

export function typeLabel(s: OpenApiSchema | undefined, schemas: Schemas): string {
  const r = resolve(s, schemas);
  if (!r) return '';
  if (r['x-kubernetes-int-or-string']) return 'integer or string';
  if (r.type === 'array') return `[]${typeLabel(r.items, schemas) || 'any'}`;
  if (r.type === 'object' && !r.properties && typeof r.additionalProperties === 'object') return `map[string]${typeLabel(r.additionalProperties, schemas)}`;
  return r.type ?? (r.properties ? 'object' : '');
}

export interface KeyContext {
  /** Keys from the document's root to the mapping being typed in; '[]' for a sequence item. */
  path: string[];
  /** The part of the key typed so far, and where it starts. */
  prefix: string;
  from: number;
}

const KEY_LINE = /^(\s*)((?:-\s+)?)(.*)$/;
const PARENT_KEY = /^([^\s#'"][^:#]*?|"[^"]*"|'[^']*'):(?:\s+(?:[|>][-+]?\s*)?)?(?:#.*)?$/;

/** The key being typed at `pos` and the path of its mapping, read from the indentation of the lines above. */
export function keyContextAt(text: string, pos: number): KeyContext | undefined {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const m = /^(\s*)((?:-\s+)?)([A-Za-z0-9_./-]*)$/.exec(text.slice(lineStart, pos));
  if (!m) return undefined;
  const path: string[] = [];
  let target = m[1].length + m[2].length;
  let listParent = false;
  if (m[2]) {
    path.unshift('[]');
    target = m[1].length;
    listParent = true;
  }
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  for (let i = lines.length - 1; i >= 0 && (target > 0 || listParent); i--) {
    const line = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(line)) break;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const [, sp, dash, rest] = KEY_LINE.exec(line) ?? ['', '', '', ''];
    const ind = sp.length;
    const content = ind + dash.length;
    const key = PARENT_KEY.exec(rest)?.[1]?.replace(/^["']|["']$/g, '');
    if (dash) {
      if (ind >= target) continue;
      if (content === target && !listParent) path.unshift('[]');
      else if (content < target && key !== undefined) path.unshift('[]', key);
      else continue;
      target = ind;
      listParent = true;
    } else if (ind < target || (ind === target && listParent)) {
      if (key === undefined) continue;
      path.unshift(key);
      target = ind;
      listParent = false;
    }
  }
  return { path, prefix: m[3], from: pos - m[3].length };
}

export interface FieldOption {
  label: string;
  type: string;
  description?: string;
  required: boolean;
}

/** The fields of the object schema at a path, required ones first. */
export function fieldOptions(root: OpenApiSchema | undefined, path: Array<string | number>, schemas: Schemas): FieldOption[] {
  const s = schemaAt(root, path, schemas);
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties)
    .map(([label, p]) => ({ label, type: typeLabel(p, schemas), description: resolve(p, schemas)?.description, required: required.has(label) }))
    .sort((a, b) => Number(b.required) - Number(a.required) || a.label.localeCompare(b.label));
}

function scalarType(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeProblem(want: OpenApiSchema, v: unknown): string | undefined {
  if (v === null) return undefined;
  const got = scalarType(v);
  if (want['x-kubernetes-int-or-string']) return got === 'integer' || got === 'string' ? undefined : `expected integer or string, got ${got}`;
  const shown = typeof v === 'string' ? `${got} "${v}"` : got;
  if (want.type === 'integer' && got !== 'integer') return `expected integer, got ${shown}`;
  if (want.type === 'number' && got !== 'integer' && got !== 'number') return `expected number, got ${shown}`;
  if ((want.type === 'string' || want.type === 'boolean') && got !== want.type) return `expected ${want.type}, got ${shown}`;
  if (want.type === 'object' || want.type === 'array') return `expected ${want.type}, got ${shown}`;
  if (want.enum && !want.enum.includes(v)) return `unsupported value ${JSON.stringify(v)}: supported values: ${want.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  return undefined;
}

function check(node: unknown, s: OpenApiSchema | undefined, path: string, schemas: Schemas, out: YamlDiagnostic[]): void {
  const r = resolve(s, schemas);
  if (!r || node === null || node === undefined) return;
  if (isMap(node)) {
    if (r.type && r.type !== 'object') return void pushAt(node.range, `${path}: expected ${r.type}, got object`, out);
    const open = r['x-kubernetes-preserve-unknown-fields'] || !r.properties || r.additionalProperties !== undefined;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const sub = `${path ? `${path}.` : ''}${key}`;
      const child = childSchema(r, key, schemas);
      if (!child && !open) pushAt(pair.key.range, `unknown field "${sub}"`, out);
      else check(pair.value, child, sub, schemas, out);
    }
  } else if (isSeq(node)) {
    if (r.type && r.type !== 'array') return void pushAt(node.range, `${path}: expected ${r.type}, got array`, out);
    node.items.forEach((item, i) => check(item, r.items, `${path}[${i}]`, schemas, out));
  } else if (isScalar(node)) {
    const problem = typeProblem(r, node.value);
    if (problem) pushAt(node.range, `${path}: ${problem}`, out);
  }
}

function pushAt(range: [number, number, number] | null | undefined, message: string, out: YamlDiagnostic[]): void {
  if (range) out.push({ from: range[0], to: Math.max(range[1], range[0] + 1), severity: 'error', message });
}

/** A document checked against its kind's schema; nothing when the document has errors of its own or no schema is known. */
export function schemaDiagnostics(doc: Document.Parsed, schemas: Schemas): YamlDiagnostic[] {
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const apiVersion = doc.get('apiVersion');
  const kind = doc.get('kind');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const root = kindSchema(schemas, apiVersion, kind);
  if (!root) return [];
  const out: YamlDiagnostic[] = [];
  check(doc.contents, root, '', schemas, out);
  return out;
}
