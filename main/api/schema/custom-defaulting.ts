// Defaulting of a custom object by its CRD version's structural schema (apiextensions' structural
// defaulting), on writes and on every read from storage: a missing field, or a null one that is not
// nullable, takes the schema's `default`; a null that is neither nullable nor defaulted is dropped first
// (PruneNonNullableNullsWithoutDefaults). Defaults nest: a defaulted object gets its own fields' defaults.
import type { JSONSchemaProps } from '../types';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function subSchema(s: JSONSchemaProps, key: string): JSONSchemaProps | undefined {
  return s.properties?.[key] ?? (isObject(s.additionalProperties) ? (s.additionalProperties) : undefined);
}

function nonNullableNull(v: unknown, s: JSONSchemaProps | undefined): s is JSONSchemaProps {
  return v === null && s !== undefined && !s.nullable && s.default !== undefined;
}

function copy<T>(v: T): T {
  return structuredClone(v);
}

/** Drops, in place, null fields the schema neither allows nor defaults. */
function pruneNulls(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (isObject(v)) {
    for (const [k, item] of Object.entries(v)) {
      const sub = subSchema(s, k);
      if (!sub) continue;
      if (item === null && sub.default === undefined && !sub.nullable) delete v[k];
      else pruneNulls(item, sub);
    }
  } else if (Array.isArray(v) && isObject(s.items)) {
    for (const item of v) pruneNulls(item, s.items);
  }
}

function applyDefaults(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (isObject(v)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (prop.default === undefined) continue;
      if (!(k in v) || nonNullableNull(v[k], prop)) v[k] = copy(prop.default);
    }
    for (const [k, item] of Object.entries(v)) {
      const sub = subSchema(s, k);
      if (!s.properties?.[k] && nonNullableNull(item, sub)) v[k] = copy(sub.default);
      applyDefaults(v[k], sub);
    }
  } else if (Array.isArray(v) && isObject(s.items)) {
    const items = s.items as JSONSchemaProps;
    v.forEach((item, i) => {
      if (nonNullableNull(item, items)) v[i] = copy(items.default);
      applyDefaults(v[i], items);
    });
  }
}

/** Defaults `obj` in place by its version's schema (apiVersion, kind and metadata are the server's). */
export function defaultCustomObject(schema: JSONSchemaProps, obj: Record<string, unknown>): void {
  const props = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata'));
  const root = { ...schema, properties: props };
  pruneNulls(obj, root);
  applyDefaults(obj, root);
}
