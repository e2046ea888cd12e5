// Generates main/api/schema/omit-empty.generated.json: for every type of the structural schema (schema.generated.json)
// that is a Go struct of k8s.io/api, k8s.io/apimachinery or k8s.io/apiextensions-apiserver, its list, map and scalar
// (not pointer) fields whose JSON tag has `omitempty`. kube-apiserver decodes a request into those structs and encodes
// what it stores, so an empty one (`labels: {}`, `env: []`, `unavailableReplicas: 0`, `paused: false`) is dropped;
// main/api/schema/go-round-trip.ts drops it the same way. Lists, maps and scalars without `omitempty` (`containers`,
// ClusterRole's `rules`, a ReplicaSet's `replicas`) and pointers are kept when empty, and so is every field of a type or
// release the sources do not have. A schema type is matched to its Go struct by name and version (and group, when the
// name carries one) when every JSON field of the struct (inline structs such as TypeMeta flattened) is in the schema
// type (which may be of a later release); structs of different packages that match must agree.
// Run with checkouts of the three modules at the same release (v0.32.x for kubectl 1.32), and kube-aggregator's for
// APIService (optional: without it, APIService's types are left as types of no Go struct):
//   npx tsx scripts/gen-omit-empty.ts --api ~/src/api --apimachinery ~/src/apimachinery --apiextensions ~/src/apiextensions-apiserver \
//     --aggregator ~/src/kube-aggregator
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import schema from '../main/api/schema/schema.generated.json';
import type { SchemaDoc } from '../main/api/schema/format';
import type { GoField } from './k8s-sources';
import { matchSchemaTypes, packagesFromArgs } from './schema-go-match';

const OUT = join(__dirname, '..', 'main', 'api', 'schema', 'omit-empty.generated.json');
const SCHEMA: SchemaDoc = schema;

const parsed = packagesFromArgs('gen-omit-empty');

const sameKeys = (a: Iterable<string>, b: Iterable<string>): boolean => {
  const x = [...a].sort(), y = [...b].sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
};

/** Schema refs of Go's basic kinds (bool, numbers, strings, []byte), whose zero `omitempty` leaves out. */
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * Whether encoding/json leaves the field out when it is empty: a list or map of length 0, or a scalar's zero (false, 0,
 * ""), with `omitempty` — never a struct (`omitempty` does not apply to one: metav1.Duration, which the schema calls a
 * string, a Quantity, an IntOrString, a Time) nor a pointer (a pointer to a zero is not nil).
 */
function omittedWhenEmpty(ref: string, g: GoField | undefined): boolean {
  if (!g?.omitEmpty) return false;
  if (/^(array|map)</.test(ref)) return true;
  return SCALARS.has(ref) && !g.pointer && !/(^|\.)Duration$/.test(g.goType);
}

const out: Record<string, string[]> = {};
const { matches, unmatched } = matchSchemaTypes(SCHEMA, parsed);
for (const [typeName, found] of matches) {
  const fields = SCHEMA[typeName].fields;
  const omitted = found.map((g) => Object.entries(fields)
    .filter(([k, ref]) => omittedWhenEmpty(ref, g.fields.get(k)))
    .map(([k]) => k).sort());
  if (omitted.some((f) => !sameKeys(f, omitted[0]))) throw new Error(`${typeName}: Go structs of the same fields disagree on omitempty`);
  out[typeName] = omitted[0];
}

const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(OUT, `${JSON.stringify(sorted, null, 1)}\n`);
const kept = Object.entries(SCHEMA).flatMap(([t, type]) => out[t]
  ? Object.entries(type.fields).filter(([k, ref]) => /^(array|map)</.test(ref) && !out[t].includes(k)).map(([k]) => `${t}.${k}`) : []);
console.log(`${Object.keys(sorted).length} types; lists and maps kept when empty: ${kept.join(', ')}`);
console.log(`not Go structs of the three modules (left alone): ${unmatched.join(', ') || 'none'}`);
