// Pruning of a custom object by its CRD version's structural schema (apiextensions' structural pruning):
// fields the schema does not specify are dropped, unless x-kubernetes-preserve-unknown-fields keeps them;
// apiVersion, kind and metadata of the object and of every x-kubernetes-embedded-resource stay.
// The dropped fields are returned as paths (`spec.foo`, `spec.items[0].bar`) for fieldValidation.
import type { JSONSchemaProps } from '../types';

type Schema = JSONSchemaProps & { 'x-kubernetes-preserve-unknown-fields'?: boolean; 'x-kubernetes-embedded-resource'?: boolean };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RESOURCE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function pruneObject(schema: Schema, v: Record<string, unknown>, path: string, resource: boolean, pruned: string[]): void {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = schema.additionalProperties;
  for (const [k, item] of Object.entries(v)) {
    if (resource && RESOURCE_FIELDS.has(k)) continue;
    const sub = schema.properties?.[k] ?? (isObject(additional) ? (additional) : undefined);
    if (sub) prune(sub, item, join(path, k), pruned);
    else if (!preserve && additional !== true) {
      delete v[k];
      pruned.push(join(path, k));
    }
  }
}

function prune(schema: Schema, v: unknown, path: string, pruned: string[]): void {
  if (Array.isArray(v)) {
    const items = schema.items;
    if (isObject(items)) v.forEach((x, i) => prune(items, x, `${path}[${i}]`, pruned));
  } else if (isObject(v)) {
    pruneObject(schema, v, path, schema['x-kubernetes-embedded-resource'] === true, pruned);
  }
}

/** Prunes `obj` in place by its version's schema; the paths of the fields it dropped, in the order found. */
export function pruneCustomObject(schema: JSONSchemaProps, obj: Record<string, unknown>): string[] {
  const pruned: string[] = [];
  pruneObject(schema, obj, '', true, pruned);
  return pruned;
}
