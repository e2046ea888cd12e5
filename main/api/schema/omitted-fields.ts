// The fields of an object of a known kind that decoding into Kubernetes' Go structs and encoding again drops, as
// kube-apiserver stores what that round trip keeps:
//   - a JSON null is the zero value, i.e. not set: `metadata: {creationTimestamp: null}` in a pod template (kubectl
//     rollout undo writes the old ReplicaSet's template so, as Go encodes it) is stored as the template without it;
//   - an empty list or map whose Go field is `omitempty` (most are: `labels: {}`, `env: []`, `tolerations: []`) is
//     not encoded. Those without it (`containers`, a ClusterRole's `rules`, an EndpointSlice's `endpoints`) are kept.
//     Which is which comes from k8s.io/api's JSON tags (omit-empty.generated.json, by scripts/gen-omit-empty.ts).
//     Without this, `kubectl diff` on an unchanged manifest of an object with no annotations reported
//     `annotations: {}` as a change (kubectl's patch sets the empty map it strips its own annotation from).
// Values inside free-form objects, map values and list items are left alone. Pure: no node imports.
import omitEmpty from './omit-empty.generated.json';
import type { ParsedRef } from './format';
import { ref, schemaType, schemaTypeFor } from './structural';

const OMIT_EMPTY: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(omitEmpty as Record<string, string[]>).map(([type, fields]) => [type, new Set(fields)]),
);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An empty list in a list field or an empty object in a map field (a value of the wrong type is left for validation). */
function isEmptyOf(item: object, t: ParsedRef): boolean {
  if (t.kind === 'array') return Array.isArray(item) && item.length === 0;
  if (t.kind === 'map') return isObject(item) && Object.keys(item).length === 0;
  return false;
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
      const omit = OMIT_EMPTY.get(t.name);
      for (const [k, item] of Object.entries(v)) {
        const field = type.fields[k];
        if (field === undefined) continue;
        if (item === null) delete v[k];
        else if (typeof item === 'object') {
          const fieldType = ref(field);
          if (omit?.has(k) && isEmptyOf(item, fieldType)) delete v[k];
          else drop(item, fieldType);
        }
      }
      return;
    }
    case 'primitive':
      return;
  }
}

/**
 * Removes, in place, the fields of `obj` that its kind's schema knows and Kubernetes' Go round trip does not keep:
 * nulls, and empty lists and maps of `omitempty` fields. Kinds without a schema are left alone.
 */
export function dropOmittedFields(apiVersion: string, kind: string, obj: unknown): void {
  const root = schemaTypeFor(apiVersion, kind);
  if (root) drop(obj, { kind: 'named', name: root });
}

/** The same for the value of a named schema type (the `metadata` of a custom object: an ObjectMeta). */
export function dropOmittedFieldsOf(typeName: string, value: unknown): void {
  drop(value, { kind: 'named', name: typeName });
}
