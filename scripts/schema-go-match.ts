// Matches the structural schema's types (schema.generated.json, named after @kubernetes/client-node's models:
// `V1DeploymentSpec`, `CoreV1EndpointPort`) to the Go structs of the Kubernetes sources (k8s-sources.ts), for the
// generators that take facts from Go: gen-omit-empty.ts and gen-go-types.ts. A schema type matches a struct of its
// version's packages (and group, when its name carries one) with its name when every JSON field of the struct (inline
// structs such as TypeMeta flattened, as encoding/json does) is in the schema type (which may be of a later release).
import { parseArgs } from 'node:util';
import type { SchemaDoc } from '../main/api/schema/format';
import { k8sPackages, parseGoPackage, type GoField, type GoPackage, type GoStruct, type SourceDirs } from './k8s-sources';

export interface GoMatch {
  /** The package's prefix (`core/v1`, `meta/v1`). */
  prefix: string;
  /** The struct's Go name (`DeploymentSpec`). */
  name: string;
  /** JSON field name → Go field. */
  fields: Map<string, GoField>;
}

/** Every package of the three modules (and kube-aggregator's apiregistration, when given), parsed, by prefix. */
export function parseK8sPackages(dirs: SourceDirs): Map<string, GoPackage> {
  return new Map(Object.values(k8sPackages(dirs)).map((p) => [p.prefix, parseGoPackage(p)]));
}

/**
 * The packages of the checkouts a generator's command line names (`--api DIR --apimachinery DIR --apiextensions DIR`,
 * optionally `--aggregator DIR`: kube-aggregator's, for APIService).
 */
export function packagesFromArgs(generator: string): Map<string, GoPackage> {
  const { values } = parseArgs({ options: {
    api: { type: 'string' }, apimachinery: { type: 'string' }, apiextensions: { type: 'string' }, aggregator: { type: 'string' },
  } });
  if (!values.api || !values.apimachinery || !values.apiextensions) {
    throw new Error(`usage: ${generator} --api DIR --apimachinery DIR --apiextensions DIR [--aggregator DIR]`);
  }
  return parseK8sPackages({ api: values.api, apimachinery: values.apimachinery, apiextensions: values.apiextensions, aggregator: values.aggregator });
}

/** The struct an embedded (inline) field names: `metav1.TypeMeta` from meta/v1, a bare name from the same package. */
function embedded(parsed: Map<string, GoPackage>, prefix: string, goType: string): GoStruct {
  const name = goType.replace(/^\*/, '');
  const [pkg, type] = name.includes('.') ? ['meta/v1', name.split('.')[1]] : [prefix, name];
  const s = parsed.get(pkg)?.structs.get(type);
  if (!s) throw new Error(`${prefix}: inline ${goType} not found`);
  return s;
}

/** JSON field name → Go field, inline structs flattened (as encoding/json does). */
export function jsonFields(parsed: Map<string, GoPackage>, prefix: string, s: GoStruct, out = new Map<string, GoField>()): Map<string, GoField> {
  for (const f of s.fields) {
    if (f.json === '-') continue;
    if (f.inline || f.json === '') jsonFields(parsed, f.goType.includes('.') ? 'meta/v1' : prefix, embedded(parsed, prefix, f.goType), out);
    else out.set(f.json, f);
  }
  return out;
}

/** Each schema type's matching Go structs (more than one when structs of several packages fit), and the types none fits. */
export function matchSchemaTypes(schema: SchemaDoc, parsed: Map<string, GoPackage>): { matches: Map<string, GoMatch[]>; unmatched: string[] } {
  const matches = new Map<string, GoMatch[]>();
  const unmatched: string[] = [];
  for (const [typeName, type] of Object.entries(schema)) {
    const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(typeName);
    if (!m) { unmatched.push(typeName); continue; }
    const [, group, version, name] = m;
    const found: GoMatch[] = [];
    for (const [prefix, pkg] of parsed) {
      if (!prefix.endsWith(`/${version.toLowerCase()}`)) continue;
      if (group && !prefix.startsWith(`${group.toLowerCase()}/`)) continue;
      const s = pkg.structs.get(name);
      if (!s) continue;
      const fields = jsonFields(parsed, prefix, s);
      if ([...fields.keys()].every((k) => k in type.fields)) found.push({ prefix, name, fields });
    }
    if (found.length === 0) unmatched.push(typeName);
    else matches.set(typeName, found);
  }
  return { matches, unmatched };
}
