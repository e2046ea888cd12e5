// Generates main/api/schema/status-zero.generated.json: for every type of the structural schema (schema.generated.json)
// whose Go struct has a `status` field of a struct type (not a pointer), the JSON encoding/json writes for that zero
// struct, its nulls left out as Flotilla stores no null. A Go struct field is always encoded (`omitempty` does not apply
// to structs), so kube-apiserver answers `"status": {}` for a Deployment no controller has written yet, `{"replicas": 0}`
// for a ReplicaSet, `{"loadBalancer": {}}` for a Service; clients read it as there (python3-kubernetes' models make
// `status` None without it). In the zero struct: pointers, lists, maps and times are null (left out); a scalar is its
// zero unless `omitempty`; a struct is its own zero struct, recursively.
// Run with checkouts of the three modules at the same release (v0.32.x for kubectl 1.32), and kube-aggregator's for
// APIService (optional: without it, APIService's types are left as types of no Go struct):
//   npx tsx scripts/gen-status-zero.ts --api ~/src/api --apimachinery ~/src/apimachinery --apiextensions ~/src/apiextensions-apiserver \
//     --aggregator ~/src/kube-aggregator
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import schema from '../main/api/schema/schema.generated.json';
import { parseTypeRef, type SchemaDoc } from '../main/api/schema/format';
import type { GoField } from './k8s-sources';
import { matchSchemaTypes, packagesFromArgs, type GoMatch } from './schema-go-match';

const OUT = join(__dirname, '..', 'main', 'api', 'schema', 'status-zero.generated.json');
const SCHEMA: SchemaDoc = schema;

const { matches } = matchSchemaTypes(SCHEMA, packagesFromArgs('gen-status-zero'));

/** The one Go struct of a schema type (structs of several packages that match must have the same fields). */
function goStruct(typeName: string): GoMatch | undefined {
  const found = matches.get(typeName);
  if (!found) return undefined;
  const shape = (m: GoMatch) => JSON.stringify([...m.fields].map(([k, f]) => [k, f.goType.replace(/^\*?(\w+\.)?/, ''), f.pointer, f.omitEmpty]));
  if (found.some((m) => shape(m) !== shape(found[0]))) throw new Error(`${typeName}: Go structs of the same fields disagree`);
  return found[0];
}

/** The zero value of a scalar field as encoding/json writes it, or undefined for a null or an omitted zero. */
function scalarZero(ref: string, f: GoField): unknown {
  if (f.omitEmpty) return undefined;
  switch (ref) {
    case 'string': return /(^|\.)Duration$/.test(f.goType) ? '0s' : '';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'int-or-string': return 0;
    case 'quantity': return '0';
    default: return undefined; // date (metav1.Time: null), object(free) (RawExtension, JSON: null)
  }
}

/** The zero struct of a schema type, as encoding/json writes it (nulls left out), fields in the Go struct's order. */
function zeroOf(typeName: string, path: string[] = []): Record<string, unknown> {
  if (path.includes(typeName)) throw new Error(`zero struct recursion: ${[...path, typeName].join(' → ')}`);
  const go = goStruct(typeName);
  if (!go) throw new Error(`${typeName}: no Go struct in the sources`);
  const fields = SCHEMA[typeName].fields;
  const out: Record<string, unknown> = {};
  for (const [json, f] of go.fields) {
    const ref = fields[json];
    if (ref === undefined || f.pointer) continue;
    const t = parseTypeRef(ref);
    if (t.kind === 'array' || t.kind === 'map') continue; // nil: null
    const value = t.kind === 'named' ? zeroOf(t.name, [...path, typeName]) : scalarZero(ref, f);
    if (value !== undefined) out[json] = value;
  }
  return out;
}

const out: Record<string, Record<string, unknown>> = {};
for (const typeName of Object.keys(SCHEMA).sort()) {
  const ref = SCHEMA[typeName].fields.status;
  const t = ref === undefined ? undefined : parseTypeRef(ref);
  if (t?.kind !== 'named') continue; // none, or a condition's `status` string
  const status = goStruct(typeName)?.fields.get('status');
  if (status && !status.pointer) out[typeName] = zeroOf(t.name);
}
writeFileSync(OUT, `${JSON.stringify(out, null, 1)}\n`);
const shown = Object.entries(out).filter(([, z]) => Object.keys(z).length).map(([t, z]) => `${t} ${JSON.stringify(z)}`);
console.log(`${Object.keys(out).length} kinds with a status struct; not {}: ${shown.join('; ') || 'none'}`);
