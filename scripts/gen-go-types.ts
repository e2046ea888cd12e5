// Generates main/api/schema/go-types.generated.json: for every type of the structural schema (schema.generated.json)
// that is a Go struct of k8s.io/api, k8s.io/apimachinery or k8s.io/apiextensions-apiserver, the struct's Go name and
// the Go type of each JSON field as reflect prints it (`int32`, `[]v1.Container`, `map[string]string`, `v1.Protocol`,
// `*` of a pointer field dropped: encoding/json decodes into what it points to), and the named types that are not
// structs (`v1.ResourceList` → `map[v1.ResourceName]resource.Quantity`). kube-apiserver decodes a request body into
// those structs, and a value of the wrong JSON type fails with encoding/json's words, which name both:
// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`
// (main/api/schema/go-decode.ts says it the same way). Types whose matching structs disagree are left out.
// Run with checkouts of the three modules at the same release (v0.32.x for kubectl 1.32), and kube-aggregator's for
// APIService (optional: without it, APIService's types are left as types of no Go struct):
//   npx tsx scripts/gen-go-types.ts --api ~/src/api --apimachinery ~/src/apimachinery --apiextensions ~/src/apiextensions-apiserver \
//     --aggregator ~/src/kube-aggregator
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import schema from '../main/api/schema/schema.generated.json';
import type { SchemaDoc } from '../main/api/schema/format';
import type { GoTypesDoc } from '../main/api/schema/go-types';
import type { GoPackage } from './k8s-sources';
import { matchSchemaTypes, packagesFromArgs } from './schema-go-match';

const OUT = join(__dirname, '..', 'main', 'api', 'schema', 'go-types.generated.json');
const SCHEMA: SchemaDoc = schema;
const parsed = packagesFromArgs('gen-go-types');

/** Go's name for the package of a prefix: the last element of its path (`core/v1` → `v1`). */
const packageName = (prefix: string): string => prefix.split('/').pop() ?? prefix;

const BUILTIN = new Map<string, string>([
  ...['string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint16', 'uint32', 'uint64', 'float32', 'float64'].map((t): [string, string] => [t, t]),
  ['byte', 'uint8'], ['uint8', 'uint8'], ['rune', 'int32'], ['interface{}', 'interface {}'], ['any', 'interface {}'],
]);

/** A type as written in a package's Go source, as reflect.Type.String() prints it. */
function typeString(written: string, prefix: string, pkg: GoPackage): string {
  const t = written.trim();
  if (t.startsWith('*')) return `*${typeString(t.slice(1), prefix, pkg)}`;
  if (t.startsWith('[]')) return `[]${typeString(t.slice(2), prefix, pkg)}`;
  const map = /^map\[([^\]]+)\](.+)$/.exec(t);
  if (map) return `map[${typeString(map[1], prefix, pkg)}]${typeString(map[2], prefix, pkg)}`;
  const builtin = BUILTIN.get(t);
  if (builtin) return builtin;
  const qualified = /^(\w+)\.(\w+)$/.exec(t);
  if (qualified) return `${pkg.imports.get(qualified[1]) ?? qualified[1]}.${qualified[2]}`;
  if (!/^\w+$/.test(t)) throw new Error(`${prefix}: cannot print Go type ${t}`);
  return `${packageName(prefix)}.${t}`;
}

const doc: GoTypesDoc = { structs: {}, named: {} };
const { matches, unmatched } = matchSchemaTypes(SCHEMA, parsed);
const disagree: string[] = [];
for (const [typeName, found] of matches) {
  const versions = found.map((g) => {
    const pkg = parsed.get(g.prefix);
    if (!pkg) throw new Error(`no package ${g.prefix}`);
    const fields = Object.fromEntries([...g.fields].map(([json, f]) => [json, typeString(f.goType.replace(/^\*/, ''), g.prefix, pkg)]));
    return JSON.stringify({ go: g.name, fields });
  });
  if (versions.some((v) => v !== versions[0])) { disagree.push(typeName); continue; }
  doc.structs[typeName] = JSON.parse(versions[0]) as GoTypesDoc['structs'][string];
}
const conflicting = new Set<string>();
for (const [prefix, pkg] of parsed) {
  for (const [name, written] of pkg.named) {
    const key = `${packageName(prefix)}.${name}`;
    const underlying = typeString(written, prefix, pkg);
    if (doc.named[key] !== undefined && doc.named[key] !== underlying) conflicting.add(key);
    doc.named[key] = underlying;
  }
}
for (const key of conflicting) delete doc.named[key];

const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const lines = Object.entries(sortKeys(doc.structs)).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(OUT, `{\n "structs": {\n${lines.join(',\n')}\n },\n "named": ${JSON.stringify(sortKeys(doc.named))}\n}\n`);
console.log(`${Object.keys(doc.structs).length} structs, ${Object.keys(doc.named).length} named types`);
console.log(`structs of several packages that disagree (left out): ${disagree.join(', ') || 'none'}`);
console.log(`named types defined differently by packages of the same name (left out): ${[...conflicting].join(', ') || 'none'}`);
console.log(`not Go structs of the three modules (left out): ${unmatched.join(', ') || 'none'}`);
