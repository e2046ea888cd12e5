// Generates main/api/schema/omit-empty.generated.json: for every type of the structural schema (schema.generated.json)
// that is a Go struct of k8s.io/api, k8s.io/apimachinery or k8s.io/apiextensions-apiserver, its list and map fields
// whose JSON tag has `omitempty`. kube-apiserver decodes a request into those structs and encodes what it stores, so an
// empty one (`labels: {}`, `env: []`) is dropped; main/api/schema/null-fields.ts drops it the same way. Lists and maps
// without `omitempty` (`containers`, ClusterRole's `rules`) are kept when empty, and so is every field of a type or
// release the sources do not have. A schema type is matched to its Go struct by name and version (and group, when the
// name carries one) when every JSON field of the struct (inline structs such as TypeMeta flattened) is in the schema
// type (which may be of a later release); structs of different packages that match must agree.
// Run with checkouts of the three modules at the same release (v0.32.x for kubectl 1.32):
//   npx tsx scripts/gen-omit-empty.ts --api ~/src/api --apimachinery ~/src/apimachinery --apiextensions ~/src/apiextensions-apiserver
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import schema from '../main/api/schema/schema.generated.json';
import type { SchemaDoc } from '../main/api/schema/format';
import { k8sPackages, parseGoPackage, type GoField, type GoPackage, type GoStruct } from './k8s-sources';

const { values } = parseArgs({ options: { api: { type: 'string' }, apimachinery: { type: 'string' }, apiextensions: { type: 'string' } } });
if (!values.api || !values.apimachinery || !values.apiextensions) {
  throw new Error('usage: gen-omit-empty --api DIR --apimachinery DIR --apiextensions DIR');
}
const OUT = join(__dirname, '..', 'main', 'api', 'schema', 'omit-empty.generated.json');
const SCHEMA: SchemaDoc = schema;

const packages = Object.values(k8sPackages({ api: values.api, apimachinery: values.apimachinery, apiextensions: values.apiextensions }));
const parsed = new Map<string, GoPackage>(packages.map((p) => [p.prefix, parseGoPackage(p)]));

/** The struct an embedded (inline) field names: `metav1.TypeMeta` from meta/v1, a bare name from the same package. */
function embedded(prefix: string, goType: string): GoStruct {
  const name = goType.replace(/^\*/, '');
  const [pkg, type] = name.includes('.') ? ['meta/v1', name.split('.')[1]] : [prefix, name];
  const s = parsed.get(pkg)?.structs.get(type);
  if (!s) throw new Error(`${prefix}: inline ${goType} not found`);
  return s;
}

/** JSON field name → Go field, inline structs flattened (as encoding/json does). */
function jsonFields(prefix: string, s: GoStruct, out = new Map<string, GoField>()): Map<string, GoField> {
  for (const f of s.fields) {
    if (f.json === '-') continue;
    if (f.inline || f.json === '') jsonFields(f.goType.includes('.') ? 'meta/v1' : prefix, embedded(prefix, f.goType), out);
    else out.set(f.json, f);
  }
  return out;
}

const within = (a: Iterable<string>, b: Record<string, unknown>): boolean => [...a].every((k) => k in b);
const sameKeys = (a: Iterable<string>, b: Iterable<string>): boolean => {
  const x = [...a].sort(), y = [...b].sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
};

const out: Record<string, string[]> = {};
const unmatched: string[] = [];
for (const [typeName, type] of Object.entries(SCHEMA)) {
  const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(typeName);
  if (!m) { unmatched.push(typeName); continue; }
  const [, group, version, kind] = m;
  const found: string[][] = [];
  for (const [prefix, pkg] of parsed) {
    if (!prefix.endsWith(`/${version.toLowerCase()}`)) continue;
    if (group && !prefix.startsWith(`${group.toLowerCase()}/`)) continue;
    const s = pkg.structs.get(kind);
    if (!s) continue;
    const fields = jsonFields(prefix, s);
    if (!within(fields.keys(), type.fields)) continue;
    found.push(Object.entries(type.fields)
      .filter(([k, ref]) => /^(array|map)</.test(ref) && fields.get(k)?.omitEmpty === true)
      .map(([k]) => k).sort());
  }
  if (found.length === 0) { unmatched.push(typeName); continue; }
  if (found.some((f) => !sameKeys(f, found[0]))) throw new Error(`${typeName}: Go structs of the same fields disagree on omitempty`);
  out[typeName] = found[0];
}

const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(OUT, `${JSON.stringify(sorted, null, 1)}\n`);
const kept = Object.entries(SCHEMA).flatMap(([t, type]) => out[t]
  ? Object.entries(type.fields).filter(([k, ref]) => /^(array|map)</.test(ref) && !out[t].includes(k)).map(([k]) => `${t}.${k}`) : []);
console.log(`${Object.keys(sorted).length} types; lists and maps kept when empty: ${kept.join(', ')}`);
console.log(`not Go structs of the three modules (left alone): ${unmatched.join(', ') || 'none'}`);
