// JSON nulls in the fields of an object of a known kind, as decoding into Kubernetes' Go structs
// treats them: a null field is the zero value, i.e. not set. The API server stores what that decoding
// keeps, so `metadata: {creationTimestamp: null}` in a pod template (kubectl rollout undo writes the
// old ReplicaSet's template so, as Go encodes it) is stored as the template without it.
// Nulls inside free-form objects, map values and list items are left alone. Pure: no node imports.
import type { ParsedRef } from './format';
import { ref, schemaType, schemaTypeFor } from './structural';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function drop(v: unknown, t: ParsedRef): void {
  if (typeof v !== 'object' || v === null) return;
  switch (t.kind) {
    case 'array':
      if (Array.isArray(v)) for (const item of v) drop(item, t.of);
      return;
    case 'map':
      if (isObject(v)) for (const item of Object.values(v)) drop(item, t.of);
      return;
    case 'named': {
      const type = schemaType(t.name);
      if (!type || !isObject(v)) return;
      for (const [k, item] of Object.entries(v)) {
        const field = type.fields[k];
        if (field === undefined) continue;
        if (item === null) delete v[k];
        else if (typeof item === 'object') drop(item, ref(field));
      }
      return;
    }
    case 'primitive':
      return;
  }
}

/** Removes, in place, the null-valued fields of `obj` that its kind's schema knows. Kinds without a schema are left alone. */
export function dropNullFields(apiVersion: string, kind: string, obj: unknown): void {
  const root = schemaTypeFor(apiVersion, kind);
  if (root) drop(obj, { kind: 'named', name: root });
}
