// Renders generated definitions (definitions.ts) as OpenAPI v2 or v3 schemas the way kube-apiserver writes them:
// v2 `$ref: #/definitions/…` beside its description, v3 `$ref: #/components/schemas/…` wrapped in `allOf` when the
// reference has siblings, `default` only in v3, and v3's oneOf forms of Quantity and IntOrString.
import type { Definition, SchemaNode } from './definitions';

export type Flavor = 'v2' | 'v3';

export type Rendered = Record<string, unknown>;

const REF_PREFIX: Record<Flavor, string> = { v2: '#/definitions/', v3: '#/components/schemas/' };

/** v3 writes these as oneOf of their JSON types instead of v2's `type: string`. */
const V3_ONE_OF: Record<string, Array<{ type: string }>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': [{ type: 'string' }, { type: 'number' }],
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': [{ type: 'integer' }, { type: 'string' }],
};

/** The reference to a definition in a document of this flavor. */
export function refTo(name: string, flavor: Flavor): string {
  return REF_PREFIX[flavor] + name;
}

export function renderNode(node: SchemaNode, flavor: Flavor): Rendered {
  const out: Rendered = {};
  let ref: string | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') ref = value as string;
    else if (key === 'default' && flavor === 'v2') continue;
    else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = renderNode(value as SchemaNode, flavor);
    else if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, SchemaNode>).map(([k, v]) => [k, renderNode(v, flavor)]));
    } else out[key] = value;
  }
  if (ref === undefined) return out;
  const target = refTo(ref, flavor);
  if (flavor === 'v2' || Object.keys(out).length === 0) return { $ref: target, ...out };
  return { allOf: [{ $ref: target }], ...out };
}

const rendered: Record<Flavor, Map<string, Rendered>> = { v2: new Map(), v3: new Map() };

/** A generated definition in a document of this flavor (rendered once; callers must not modify it). */
export function renderDefinition(name: string, def: Definition, flavor: Flavor): Rendered {
  const cached = rendered[flavor].get(name);
  if (cached) return cached;
  const out = renderNode(def, flavor);
  rendered[flavor].set(name, out);
  const oneOf = V3_ONE_OF[name];
  if (flavor === 'v3' && oneOf) {
    delete out.type;
    out.oneOf = oneOf;
  }
  return out;
}

/** The names of the definitions `roots` reach through `$ref`, themselves included, in sorted order. */
export function reachable(roots: Iterable<string>, definitions: Readonly<Record<string, Definition>>): string[] {
  const seen = new Set<string>();
  const visit = (node: SchemaNode | boolean | undefined): void => {
    if (!node || typeof node !== 'object') return;
    if (node.$ref) add(node.$ref);
    visit(node.items);
    visit(node.additionalProperties);
    for (const p of Object.values(node.properties ?? {})) visit(p);
  };
  const add = (name: string): void => {
    if (seen.has(name)) return;
    const def = definitions[name];
    if (!def) return;
    seen.add(name);
    visit(def);
  };
  for (const r of roots) add(r);
  return [...seen].sort();
}
