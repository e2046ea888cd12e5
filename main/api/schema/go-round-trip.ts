// What decoding an object of a known kind into Kubernetes' Go structs and encoding it again changes, as kube-apiserver
// stores what that round trip gives:
//   - a JSON null is the zero value, i.e. not set: `metadata: {creationTimestamp: null}` in a pod template (kubectl
//     rollout undo writes the old ReplicaSet's template so, as Go encodes it) is stored as the template without it;
//   - an empty list or map whose Go field is `omitempty` (most are: `labels: {}`, `env: []`, `tolerations: []`) is
//     not encoded. Those without it (`containers`, a ClusterRole's `rules`, an EndpointSlice's `endpoints`) are kept.
//     Which is which comes from k8s.io/api's JSON tags (omit-empty.generated.json, by scripts/gen-omit-empty.ts).
//     Without this, `kubectl diff` on an unchanged manifest of an object with no annotations reported
//     `annotations: {}` as a change (kubectl's patch sets the empty map it strips its own annotation from).
//   - a Quantity is written in its canonical form: "1000m" as "1", "1024Mi" as "1Gi", a JSON number 1 as "1"
//     (quantity-canonical.ts), in fields, ResourceLists and lists alike;
// Other values inside free-form objects, map values and list items are left alone. Pure: no node imports.
import omitEmpty from './omit-empty.generated.json';
import { canonicalQuantity } from '../quantity-canonical';
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

const isQuantity = (t: ParsedRef): boolean => t.kind === 'primitive' && t.name === 'quantity';

/** A Quantity's canonical form, or the value as it is (not a quantity's type, or not one that parses: validation says so). */
function quantityValue(item: unknown): unknown {
  if (typeof item !== 'string' && typeof item !== 'number') return item;
  return canonicalQuantity(item) ?? item;
}

function walk(v: unknown, t: ParsedRef): void {
  if (typeof v !== 'object' || v === null) return;
  switch (t.kind) {
    case 'array':
      if (!Array.isArray(v)) return;
      if (isQuantity(t.of)) for (let i = 0; i < v.length; i++) v[i] = quantityValue(v[i]);
      else for (const item of v) walk(item, t.of);
      return;
    case 'map':
      if (!isObject(v)) return;
      if (isQuantity(t.of)) for (const k of Object.keys(v)) v[k] = quantityValue(v[k]);
      else for (const item of Object.values(v)) walk(item, t.of);
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
          else walk(item, fieldType);
        } else if (field === 'quantity') v[k] = quantityValue(item);
      }
      return;
    }
    case 'primitive':
      return;
  }
}

/**
 * Changes `obj` in place as Kubernetes' Go round trip does, by its kind's schema: removes nulls and the empty lists and
 * maps of `omitempty` fields, writes quantities in canonical form. Kinds without a schema are left alone.
 */
export function roundTripAsGo(apiVersion: string, kind: string, obj: unknown): void {
  const root = schemaTypeFor(apiVersion, kind);
  if (root) walk(obj, { kind: 'named', name: root });
}

/** The same for the value of a named schema type (the `metadata` of a custom object: an ObjectMeta). */
export function roundTripAsGoOf(typeName: string, value: unknown): void {
  walk(value, { kind: 'named', name: typeName });
}
