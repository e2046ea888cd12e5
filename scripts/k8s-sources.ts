// Reads Kubernetes' API sources (k8s.io/api, k8s.io/apimachinery, k8s.io/apiextensions-apiserver checkouts at one
// release, and kube-aggregator's pkg/apis/apiregistration for APIService) for the generators: the messages of each
// package's generated.proto (field numbers, names, qualified types) and the Go declarations of its types.go and friends
// (struct fields with their JSON and protobuf tags, doc comments and comment tags; `+enum` string types with their
// constants). gen-protobuf-schema.ts and gen-openapi.ts both read through this one parser.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface K8sPackage {
  /** Short prefix the generators qualify message names with: `core/v1`, `meta/v1`, `intstr`. */
  prefix: string;
  /** Directory holding generated.proto and the Go files. */
  dir: string;
  /** Go files declaring the package's API types. */
  goFiles: string[];
  /** The OpenAPI definition name prefix (the Go import path reversed): `io.k8s.api.core.v1`. */
  openapi: string;
}

export interface SourceDirs {
  api: string;
  apimachinery: string;
  apiextensions?: string;
  /** A k8s.io/kube-aggregator checkout (or one holding its pkg/apis/apiregistration): APIService. */
  aggregator?: string;
}

/** Proto package → where its sources are. apiextensions and apiregistration only when their checkouts are given. */
export function k8sPackages(dirs: SourceDirs): Record<string, K8sPackage> {
  const api = (path: string): [string, K8sPackage] => {
    const pkg = `k8s.io.api.${path.replace('/', '.')}`;
    return [pkg, { prefix: path, dir: join(dirs.api, path), goFiles: ['types.go'], openapi: `io.k8s.api.${path.replace('/', '.')}` }];
  };
  const machinery = (path: string, prefix: string, goFiles: string[]): [string, K8sPackage] => [
    `k8s.io.apimachinery.${path.replaceAll('/', '.')}`,
    { prefix, dir: join(dirs.apimachinery, path), goFiles, openapi: `io.k8s.apimachinery.${path.replaceAll('/', '.')}` },
  ];
  const out: Array<[string, K8sPackage]> = [
    ...['core/v1', 'apps/v1', 'policy/v1', 'autoscaling/v1', 'autoscaling/v2', 'scheduling/v1', 'batch/v1', 'discovery/v1', 'coordination/v1',
      'rbac/v1', 'authentication/v1', 'authorization/v1', 'storage/v1', 'networking/v1',
      'certificates/v1', 'node/v1', 'events/v1', 'admissionregistration/v1', 'flowcontrol/v1'].map(api),
    machinery('pkg/apis/meta/v1', 'meta/v1', ['types.go', 'duration.go', 'time.go', 'micro_time.go', 'watch.go']),
    machinery('pkg/runtime', 'runtime', ['types.go']),
    machinery('pkg/runtime/schema', 'schema', []),
    machinery('pkg/api/resource', 'resource', ['quantity.go']),
    machinery('pkg/util/intstr', 'intstr', ['intstr.go']),
  ];
  if (dirs.apiextensions) {
    out.push(['k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1', {
      prefix: 'apiextensions/v1', dir: join(dirs.apiextensions, 'pkg/apis/apiextensions/v1'), goFiles: ['types.go', 'types_jsonschema.go'],
      openapi: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
    }]);
  }
  if (dirs.aggregator) {
    out.push(['k8s.io.kube_aggregator.pkg.apis.apiregistration.v1', {
      prefix: 'apiregistration/v1', dir: join(dirs.aggregator, 'pkg/apis/apiregistration/v1'), goFiles: ['types.go'],
      openapi: 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1',
    }]);
  }
  return Object.fromEntries(out);
}

export interface ProtoField { name: string; no: number; repeated: boolean; type: string; mapValue?: string }

/** Protobuf's scalar types: kept as they are, never qualified with a package. */
export const PROTO_SCALARS = new Set(['string', 'bool', 'bytes', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

/** Messages of one generated.proto: name → fields (types qualified with the packages' short prefixes). */
export function parseProto(packages: Record<string, K8sPackage>, pkg: string): Map<string, ProtoField[]> {
  const { dir, prefix } = packages[pkg];
  const text = readFileSync(join(dir, 'generated.proto'), 'utf8');
  const qualify = (t: string): string => {
    if (PROTO_SCALARS.has(t)) return t;
    if (t.startsWith('.')) {
      const i = t.lastIndexOf('.');
      const p = packages[t.slice(1, i)];
      if (!p) throw new Error(`${pkg}: type ${t} from an unknown package`);
      return `${p.prefix}.${t.slice(i + 1)}`;
    }
    return `${prefix}.${t}`;
  };
  const out = new Map<string, ProtoField[]>();
  let current: ProtoField[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const msg = /^message (\w+) \{$/.exec(line);
    if (msg) { current = []; out.set(msg[1], current); continue; }
    if (line === '}') { current = undefined; continue; }
    if (!current || !line) continue;
    const map = /^map<string, ?([\w.]+)> (\w+) = (\d+);$/.exec(line);
    if (map) { current.push({ name: map[2], no: Number(map[3]), repeated: false, type: 'map', mapValue: qualify(map[1]) }); continue; }
    const f = /^(optional|repeated|required) ([\w.]+) (\w+) = (\d+);$/.exec(line);
    if (f) { current.push({ name: f[3], no: Number(f[4]), repeated: f[1] === 'repeated', type: qualify(f[2]) }); continue; }
    if (/^(enum|oneof|message) /.test(line)) throw new Error(`${pkg}: unexpected construct ${line}`);
  }
  return out;
}

export interface GoField {
  /** The Go type as written (`*int32`, `[]Container`, `metav1.TypeMeta`). */
  goType: string;
  json: string;
  inline: boolean;
  pointer: boolean;
  omitEmpty: boolean;
  /** The protobuf field number, when the field has a protobuf tag. */
  protoNo?: number;
  /** The doc comment, one entry per line, comment markers and the first space removed. */
  comments: string[];
  /** Struct tags `patchStrategy` and `patchMergeKey`. */
  patchStrategy?: string;
  patchMergeKey?: string;
}

export interface GoStruct {
  /** The doc comment right above `type X struct`. */
  comments: string[];
  fields: GoField[];
  /** Fields with a protobuf tag, by protobuf field number. */
  byNumber: Map<number, GoField>;
}

export interface GoEnum {
  comments: string[];
  values: Array<{ name: string; value: string; comments: string[] }>;
}

export interface GoPackage {
  structs: Map<string, GoStruct>;
  enums: Map<string, GoEnum>;
  /** Other named types (`type Protocol string`, `type ResourceList map[ResourceName]resource.Quantity`): name → the type as written. */
  named: Map<string, string>;
  /** Import name → the imported package's name (`metav1` → `v1`: the last element of its path, as Go names these packages). */
  imports: Map<string, string>;
}

/** The doc comment text of a `//` line (Go's CommentGroup.Text: the marker and one following space removed). */
function commentText(line: string): string {
  const t = line.replace(/^\s*\/\//, '');
  return (t.startsWith(' ') ? t.slice(1) : t).trimEnd();
}

function parseField(raw: string, comments: string[]): GoField | undefined {
  const m = /^\t(\S+)(?:\s+(\S+))?\s+`([^`]*)`\s*$/.exec(raw);
  if (!m) return undefined;
  const tag = m[3];
  const json = /json:"([^"]*)"/.exec(tag)?.[1] ?? '';
  const [jsonName, ...opts] = json.split(',');
  const goType = m[2] ?? m[1];
  const pb = /protobuf:"([^"]*)"/.exec(tag)?.[1];
  return {
    goType, json: jsonName, inline: opts.includes('inline'), pointer: goType.startsWith('*'), omitEmpty: opts.includes('omitempty'),
    protoNo: pb && pb !== '-' ? Number(pb.split(',')[1]) : undefined, comments,
    patchStrategy: /patchStrategy:"([^"]*)"/.exec(tag)?.[1], patchMergeKey: /patchMergeKey:"([^"]*)"/.exec(tag)?.[1],
  };
}

/** Struct and `+enum` declarations of a package's Go files. */
export function parseGoPackage(pkg: K8sPackage): GoPackage {
  const structs = new Map<string, GoStruct>();
  const enums = new Map<string, GoEnum>();
  const named = new Map<string, string>();
  const imports = new Map<string, string>();
  const constValues: Array<{ type: string; name: string; value: string; comments: string[] }> = [];
  for (const file of pkg.goFiles) {
    const path = join(pkg.dir, file);
    if (!existsSync(path)) throw new Error(`no ${path}`);
    let group: string[] = [];
    let struct: GoStruct | undefined;
    let inConst = false;
    let inImport = false;
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
      if (/^\s*\/\//.test(raw)) { group.push(commentText(raw)); continue; }
      if (/^import \($/.test(raw)) { inImport = true; continue; }
      const single = /^import (?:(\w+)\s+)?"([^"]+)"/.exec(raw); // `import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"`
      if (single) {
        const pkgName = single[2].split('/').pop() ?? single[2];
        imports.set(single[1] ?? pkgName, pkgName);
        group = [];
        continue;
      }
      if (inImport) {
        if (/^\)/.test(raw)) inImport = false;
        const imp = /^\t(?:(\w+)\s+)?"([^"]+)"/.exec(raw);
        if (imp) {
          const pkgName = imp[2].split('/').pop() ?? imp[2];
          imports.set(imp[1] ?? pkgName, pkgName);
        }
        continue;
      }
      const comments = group;
      if (raw.trim() === '') { group = []; continue; }
      group = [];
      if (struct) {
        if (/^\}/.test(raw)) { struct = undefined; continue; }
        const f = parseField(raw, comments);
        if (!f) continue;
        struct.fields.push(f);
        if (f.protoNo !== undefined) struct.byNumber.set(f.protoNo, f);
        continue;
      }
      const start = /^type (\w+) struct ?\{/.exec(raw);
      if (start) {
        struct = { comments, fields: [], byNumber: new Map() };
        structs.set(start[1], struct);
        if (/\}\s*$/.test(raw)) struct = undefined;
        continue;
      }
      const other = /^type (\w+) ([^\s{=][^{]*?)\s*$/.exec(raw);
      if (other && !/^(struct|interface)\b/.test(other[2])) named.set(other[1], other[2]);
      const str = /^type (\w+) string\s*$/.exec(raw);
      if (str && comments.some((c) => c.trim() === '+enum')) { enums.set(str[1], { comments, values: [] }); continue; }
      if (/^const \($/.test(raw)) { inConst = true; continue; }
      if (inConst && /^\)/.test(raw)) { inConst = false; continue; }
      const c = /^(?:const |\t)(\w+)\s+(\w+)\s*=\s*"([^"]*)"/.exec(raw);
      if (c && (inConst || raw.startsWith('const '))) constValues.push({ name: c[1], type: c[2], value: c[3], comments });
    }
  }
  for (const v of constValues) enums.get(v.type)?.values.push({ name: v.name, value: v.value, comments: v.comments });
  return { structs, enums, named, imports };
}
