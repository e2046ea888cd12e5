// Generates main/apiserver/protobuf/schema.generated.json: for every protobuf message reachable from the
// kinds this server accepts, its fields by number (JSON name and type code, see protobuf/schema.ts). Field
// numbers, names and types come from Kubernetes' own generated.proto files; whether a Go field is a pointer,
// embedded inline, or omitted when empty comes from the Go struct tags in the same packages' types.go.
// Run with checkouts of k8s.io/api and k8s.io/apimachinery at the same release (v0.32.x for kubectl 1.32):
//   npx tsx scripts/gen-protobuf-schema.ts --api ~/src/api --apimachinery ~/src/apimachinery
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProtobufSchemaFile } from '../main/apiserver/protobuf/schema';

const { values } = parseArgs({ options: { api: { type: 'string' }, apimachinery: { type: 'string' }, release: { type: 'string' } } });
if (!values.api || !values.apimachinery) throw new Error('usage: gen-protobuf-schema --api DIR --apimachinery DIR [--release v0.32.9]');
const API = values.api;
const MACHINERY = values.apimachinery;
const OUT = join(__dirname, '..', 'main', 'apiserver', 'protobuf', 'schema.generated.json');

/** Proto package → [short prefix used in the table, directory of generated.proto and types.go]. */
const PACKAGES: Record<string, [string, string]> = {
  'k8s.io.api.core.v1': ['core/v1', join(API, 'core/v1')],
  'k8s.io.api.apps.v1': ['apps/v1', join(API, 'apps/v1')],
  'k8s.io.api.policy.v1': ['policy/v1', join(API, 'policy/v1')],
  'k8s.io.api.autoscaling.v1': ['autoscaling/v1', join(API, 'autoscaling/v1')],
  'k8s.io.api.autoscaling.v2': ['autoscaling/v2', join(API, 'autoscaling/v2')],
  'k8s.io.api.scheduling.v1': ['scheduling/v1', join(API, 'scheduling/v1')],
  'k8s.io.api.batch.v1': ['batch/v1', join(API, 'batch/v1')],
  'k8s.io.api.discovery.v1': ['discovery/v1', join(API, 'discovery/v1')],
  'k8s.io.api.coordination.v1': ['coordination/v1', join(API, 'coordination/v1')],
  'k8s.io.api.rbac.v1': ['rbac/v1', join(API, 'rbac/v1')],
  'k8s.io.api.authentication.v1': ['authentication/v1', join(API, 'authentication/v1')],
  'k8s.io.api.authorization.v1': ['authorization/v1', join(API, 'authorization/v1')],
  'k8s.io.api.certificates.v1': ['certificates/v1', join(API, 'certificates/v1')],
  'k8s.io.apimachinery.pkg.apis.meta.v1': ['meta/v1', join(MACHINERY, 'pkg/apis/meta/v1')],
  'k8s.io.apimachinery.pkg.runtime': ['runtime', join(MACHINERY, 'pkg/runtime')],
  'k8s.io.apimachinery.pkg.runtime.schema': ['schema', join(MACHINERY, 'pkg/runtime/schema')],
  'k8s.io.apimachinery.pkg.api.resource': ['resource', join(MACHINERY, 'pkg/api/resource')],
  'k8s.io.apimachinery.pkg.util.intstr': ['intstr', join(MACHINERY, 'pkg/util/intstr')],
};

/** Messages with their own JSON form, decoded by a scalar type code rather than field by field. */
const SPECIAL: Record<string, string> = {
  'meta/v1.Time': 't', 'meta/v1.MicroTime': 'T', 'meta/v1.Duration': 'D', 'meta/v1.FieldsV1': 'r',
  'runtime.RawExtension': 'r', 'resource.Quantity': 'q', 'intstr.IntOrString': 'x',
  'authentication/v1.ExtraValue': 'l', 'authorization/v1.ExtraValue': 'l', 'certificates/v1.ExtraValue': 'l',
};

/** The kinds the server accepts bodies of, by apiVersion/kind. */
const ROOTS: Record<string, string> = {
  'v1/Namespace': 'core/v1.Namespace', 'v1/Node': 'core/v1.Node', 'v1/Pod': 'core/v1.Pod', 'v1/Service': 'core/v1.Service',
  'v1/Endpoints': 'core/v1.Endpoints', 'v1/Event': 'core/v1.Event', 'v1/ConfigMap': 'core/v1.ConfigMap', 'v1/Secret': 'core/v1.Secret',
  'v1/Binding': 'core/v1.Binding', 'apps/v1/Deployment': 'apps/v1.Deployment', 'apps/v1/ReplicaSet': 'apps/v1.ReplicaSet',
  'apps/v1/DaemonSet': 'apps/v1.DaemonSet', 'discovery.k8s.io/v1/EndpointSlice': 'discovery/v1.EndpointSlice',
  'coordination.k8s.io/v1/Lease': 'coordination/v1.Lease', 'policy/v1/Eviction': 'policy/v1.Eviction',
  'v1/DeleteOptions': 'meta/v1.DeleteOptions', 'meta.k8s.io/v1/DeleteOptions': 'meta/v1.DeleteOptions',
  'v1/ServiceAccount': 'core/v1.ServiceAccount',
  'v1/LimitRange': 'core/v1.LimitRange', 'v1/ResourceQuota': 'core/v1.ResourceQuota',
  'policy/v1/PodDisruptionBudget': 'policy/v1.PodDisruptionBudget',
  'autoscaling/v1/HorizontalPodAutoscaler': 'autoscaling/v1.HorizontalPodAutoscaler',
  'autoscaling/v2/HorizontalPodAutoscaler': 'autoscaling/v2.HorizontalPodAutoscaler',
  'scheduling.k8s.io/v1/PriorityClass': 'scheduling/v1.PriorityClass',
  'batch/v1/Job': 'batch/v1.Job', 'batch/v1/CronJob': 'batch/v1.CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'rbac/v1.Role', 'rbac.authorization.k8s.io/v1/ClusterRole': 'rbac/v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'rbac/v1.RoleBinding', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'rbac/v1.ClusterRoleBinding',
  'authentication.k8s.io/v1/TokenRequest': 'authentication/v1.TokenRequest', 'authentication.k8s.io/v1/TokenReview': 'authentication/v1.TokenReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'authentication/v1.SelfSubjectReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'authorization/v1.SubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authorization/v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'authorization/v1.LocalSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'authorization/v1.SelfSubjectRulesReview',
  'certificates.k8s.io/v1/CertificateSigningRequest': 'certificates/v1.CertificateSigningRequest',
};

interface ProtoField { name: string; no: number; repeated: boolean; type: string; mapValue?: string }

const SCALARS: Record<string, string> = { string: 's', bool: 'b', bytes: 'y', int32: 'i', int64: 'i', uint32: 'i', uint64: 'i' };

/** Messages of one generated.proto: name → fields (types qualified with our short package prefixes). */
function parseProto(pkg: string): Map<string, ProtoField[]> {
  const [, dir] = PACKAGES[pkg];
  const text = readFileSync(join(dir, 'generated.proto'), 'utf8');
  const qualify = (t: string): string => {
    if (SCALARS[t]) return t;
    if (t.startsWith('.')) {
      const i = t.lastIndexOf('.');
      const p = PACKAGES[t.slice(1, i)];
      if (!p) throw new Error(`${pkg}: type ${t} from an unknown package`);
      return `${p[0]}.${t.slice(i + 1)}`;
    }
    return `${PACKAGES[pkg][0]}.${t}`;
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

interface GoField { json: string; inline: boolean; pointer: boolean; omitEmpty: boolean }

/** Go struct fields with protobuf tags, by struct name and protobuf field number. */
function parseGoTypes(pkg: string, files: string[]): Map<string, Map<number, GoField>> {
  const [, dir] = PACKAGES[pkg];
  const out = new Map<string, Map<number, GoField>>();
  for (const file of files) {
    let struct: Map<number, GoField> | undefined;
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const start = /^type (\w+) struct \{/.exec(raw);
      if (start) { struct = new Map(); out.set(start[1], struct); continue; }
      if (/^\}/.test(raw)) { struct = undefined; continue; }
      if (!struct) continue;
      const m = /^\t(\S+)(?:\s+(\S+))?\s+`([^`]*)`\s*$/.exec(raw);
      if (!m) continue;
      const tag = m[3];
      const pb = /protobuf:"([^"]*)"/.exec(tag)?.[1];
      if (!pb || pb === '-') continue;
      const no = Number(pb.split(',')[1]);
      const json = /json:"([^"]*)"/.exec(tag)?.[1] ?? '';
      const [jsonName, ...opts] = json.split(',');
      const goType = m[2] ?? m[1];
      struct.set(no, { json: jsonName, inline: opts.includes('inline'), pointer: goType.startsWith('*'), omitEmpty: opts.includes('omitempty') });
    }
  }
  return out;
}

const protos = new Map<string, ProtoField[]>();
const goFields = new Map<string, Map<number, GoField>>();
const GO_FILES: Record<string, string[]> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1': ['types.go', 'duration.go'],
  'k8s.io.apimachinery.pkg.runtime': ['types.go'],
  'k8s.io.apimachinery.pkg.api.resource': ['quantity.go'],
  'k8s.io.apimachinery.pkg.util.intstr': ['intstr.go'],
};
for (const pkg of Object.keys(PACKAGES)) {
  if (pkg === 'k8s.io.apimachinery.pkg.runtime.schema') continue;
  const prefix = PACKAGES[pkg][0];
  for (const [name, fields] of parseProto(pkg)) protos.set(`${prefix}.${name}`, fields);
  for (const [name, fields] of parseGoTypes(pkg, GO_FILES[pkg] ?? ['types.go'])) goFields.set(`${prefix}.${name}`, fields);
}

function typeCode(t: string, queue: string[]): string {
  if (SCALARS[t]) return SCALARS[t];
  if (SPECIAL[t]) return SPECIAL[t];
  if (!protos.has(t)) throw new Error(`no message ${t}`);
  queue.push(t);
  return `m:${t}`;
}

const messages: ProtobufSchemaFile['messages'] = {};
const queue = ['runtime.Unknown', ...new Set(Object.values(ROOTS))];
while (queue.length) {
  const name = queue.shift()!;
  if (messages[name]) continue;
  const fields = protos.get(name);
  if (!fields) throw new Error(`no message ${name}`);
  const go = goFields.get(name);
  if (!go) throw new Error(`no Go struct for ${name}`);
  const spec: Record<string, [string, string]> = {};
  for (const f of fields) {
    const g = go.get(f.no);
    if (!g) throw new Error(`${name}: no Go field for protobuf field ${f.no} (${f.name})`);
    let code: string;
    if (f.type === 'map') code = `{${typeCode(f.mapValue!, queue)}}`;
    else code = typeCode(f.type, queue) + (f.repeated ? '[]' : '');
    // A pointer, or a scalar JSON writes even when zero, keeps a zero value it was sent.
    if (!f.repeated && f.type !== 'map' && (g.pointer || (!g.omitEmpty && !g.inline && /^[siby]$/.test(code)))) code += '*';
    const json = g.inline ? `^${f.name}` : !g.json || g.json === '-' ? f.name : g.json;
    if (!json) throw new Error(`${name}.${f.name}: no JSON name`);
    spec[String(f.no)] = [json, code];
  }
  messages[name] = spec;
}

const file: ProtobufSchemaFile = { source: `k8s.io/api and k8s.io/apimachinery ${values.release ?? ''}`.trim(), roots: ROOTS, messages };
writeFileSync(OUT, `${JSON.stringify(file, null, 1)}\n`);
console.log(`wrote ${Object.keys(messages).length} messages to ${OUT}`);
