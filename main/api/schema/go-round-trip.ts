// What decoding an object of a known kind into Kubernetes' Go structs and encoding it again changes, as kube-apiserver
// stores what that round trip gives:
//   - a JSON null is the zero value, i.e. not set: `metadata: {creationTimestamp: null}` in a pod template (kubectl
//     rollout undo writes the old ReplicaSet's template so, as Go encodes it) is stored as the template without it;
//   - an empty list or map whose Go field is `omitempty` (most are: `labels: {}`, `env: []`, `tolerations: []`) is
//     not encoded. Those without it (`containers`, a ClusterRole's `rules`, an EndpointSlice's `endpoints`) are kept.
//     Nor is a scalar's zero (`unavailableReplicas: 0`, `paused: false`, `message: ""`) where the field has it — not a
//     pointer's (`replicas: 0` is kept), not where it has not (a ReplicaSet's `replicas`, a container's `restartCount`);
//     Which is which comes from k8s.io/api's JSON tags (omit-empty.generated.json, by scripts/gen-omit-empty.ts).
//     Without this, `kubectl diff` on an unchanged manifest of an object with no annotations reported
//     `annotations: {}` as a change (kubectl's patch sets the empty map it strips its own annotation from).
//   - a Quantity is written in its canonical form: "1000m" as "1", "1024Mi" as "1Gi", a JSON number 1 as "1"
//     (quantity-canonical.ts), in fields, ResourceLists and lists alike;
//   - a `status` left out is the zero struct Go always encodes (a struct field is never omitted): `{}` for a Deployment
//     no controller has written yet, `{"replicas": 0}` for a ReplicaSet, `{"loadBalancer": {}}` for a Service
//     (status-zero.generated.json, by scripts/gen-status-zero.ts);
// Other values inside free-form objects, map values and list items are left alone. Pure: no node imports.
import omitEmpty from './omit-empty.generated.json';
import statusZero from './status-zero.generated.json';
import { canonicalQuantity } from '../quantity-canonical';
import type { ParsedRef } from './format';
import { ref, schemaType, schemaTypeFor } from './structural';

const OMIT_EMPTY: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(omitEmpty as Record<string, string[]>).map(([type, fields]) => [type, new Set(fields)]),
);

/** A root type → its zero status as JSON text (parsed for each object that gets one). */
const STATUS_ZERO: ReadonlyMap<string, string> = new Map(Object.entries(statusZero).map(([type, zero]) => [type, JSON.stringify(zero)]));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An empty list in a list field or an empty object in a map field (a value of the wrong type is left for validation). */
function isEmptyOf(item: object, t: ParsedRef): boolean {
  if (t.kind === 'array') return Array.isArray(item) && item.length === 0;
  if (t.kind === 'map') return isObject(item) && Object.keys(item).length === 0;
  return false;
}

interface Field {
  type: ParsedRef;
  omitEmpty: boolean;
  quantity: boolean;
}

const compiledTypes = new Map<string, ReadonlyMap<string, Field> | undefined>();

/** A named type's fields with their parsed types, made once (every write walks them). */
function compiled(name: string): ReadonlyMap<string, Field> | undefined {
  if (compiledTypes.has(name)) return compiledTypes.get(name);
  const type = schemaType(name);
  const omit = OMIT_EMPTY.get(name);
  const fields = type && new Map(Object.entries(type.fields).map(([k, text]): [string, Field] => [k, { type: ref(text), omitEmpty: omit?.has(k) ?? false, quantity: text === 'quantity' }]));
  compiledTypes.set(name, fields);
  return fields;
}

const isQuantity = (t: ParsedRef): boolean => t.kind === 'primitive' && t.name === 'quantity';

/** A Quantity's canonical form, or the value as it is (not a quantity's type, or not one that parses: validation says so). */
function quantityValue(item: unknown): unknown {
  if (typeof item !== 'string' && typeof item !== 'number') return item;
  return canonicalQuantity(item) ?? item;
}

/** A scalar field's zero (false, 0, "") in a value of its own type (one of another type is left for validation). */
function isZeroOf(item: unknown, t: ParsedRef): boolean {
  if (t.kind !== 'primitive') return false;
  switch (t.name) {
    case 'string': return item === '';
    case 'integer': case 'number': return item === 0;
    case 'boolean': return item === false;
    default: return false;
  }
}

/**
 * `drops`: nulls and empty omitempty lists and maps go (a whole write); zero omitempty scalars go either way (a status
 * write too: its counters are where they are, and few objects have them, so few become V8 dictionaries).
 */
function walk(v: unknown, t: ParsedRef, drops: boolean): void {
  if (typeof v !== 'object' || v === null) return;
  switch (t.kind) {
    case 'array':
      if (!Array.isArray(v)) return;
      if (isQuantity(t.of)) for (let i = 0; i < v.length; i++) v[i] = quantityValue(v[i]);
      else for (const item of v) walk(item, t.of, drops);
      return;
    case 'map':
      if (!isObject(v)) return;
      if (isQuantity(t.of)) for (const k of Object.keys(v)) v[k] = quantityValue(v[k]);
      else for (const item of Object.values(v)) walk(item, t.of, drops);
      return;
    case 'named': {
      const fields = compiled(t.name);
      if (!fields || !isObject(v)) return;
      for (const k in v) {
        const field = fields.get(k);
        if (field === undefined) continue;
        const item = v[k];
        if (item === null) {
          if (drops) delete v[k];
        } else if (typeof item === 'object') {
          if (drops && field.omitEmpty && isEmptyOf(item, field.type)) delete v[k];
          else walk(item, field.type, drops);
        } else if (field.quantity) v[k] = quantityValue(item);
        else if (field.omitEmpty && isZeroOf(item, field.type)) delete v[k];
      }
      return;
    }
    case 'primitive':
      return;
  }
}

/**
 * Changes `obj` in place as Kubernetes' Go round trip does, by its kind's schema: removes nulls and the empty lists,
 * maps and zero scalars of `omitempty` fields, writes quantities in canonical form. Kinds without a schema are left alone.
 */
export function roundTripAsGo(apiVersion: string, kind: string, obj: unknown): void {
  const root = schemaTypeFor(apiVersion, kind);
  if (!root) return;
  walk(obj, { kind: 'named', name: root }, true);
  zeroStatus(root, obj);
}

/** An object of a kind whose Go status is a struct gets its zero status when it has none (or a null one). */
function zeroStatus(root: string, obj: unknown): void {
  const zero = STATUS_ZERO.get(root);
  if (zero !== undefined && isObject(obj) && (obj.status === undefined || obj.status === null)) obj.status = JSON.parse(zero);
}

/**
 * Only the quantities of `obj.status` in canonical form and its zero omitempty scalars left out (and the zero status
 * for none), for a status write: the rest of such a write is the stored object's (already through the round trip), and
 * its nulls and empty lists are left as sent (deleting its nulls on every status update made the objects V8's slower
 * dictionaries, ≈ 8 % of bench scheduler).
 */
export function canonicalStatusQuantities(apiVersion: string, kind: string, obj: unknown): void {
  const root = schemaTypeFor(apiVersion, kind);
  if (!root) return;
  zeroStatus(root, obj);
  const status = isObject(obj) ? compiled(root)?.get('status') : undefined;
  if (status && isObject(obj)) walk(obj.status, status.type, false);
}

/** The same for the value of a named schema type (the `metadata` of a custom object: an ObjectMeta). */
export function roundTripAsGoOf(typeName: string, value: unknown): void {
  walk(value, { kind: 'named', name: typeName }, true);
}
