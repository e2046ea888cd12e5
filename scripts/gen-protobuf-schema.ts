// Generates main/apiserver/protobuf/schema.generated.json: for every protobuf message reachable from the
// kinds this server accepts, its fields by number (JSON name and type code, see protobuf/schema.ts). Field
// numbers, names and types come from Kubernetes' own generated.proto files; whether a Go field is a pointer,
// embedded inline, or omitted when empty comes from the Go struct tags in the same packages' types.go
// (both read by k8s-sources.ts).
// Run with checkouts of k8s.io/api and k8s.io/apimachinery at the same release (v0.32.x for kubectl 1.32), and
// k8s.io/kube-aggregator's for APIService (optional: without it, APIService bodies are not decoded):
//   npx tsx scripts/gen-protobuf-schema.ts --api ~/src/api --apimachinery ~/src/apimachinery --aggregator ~/src/kube-aggregator \
//     --release v0.32.9
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProtobufSchemaFile } from '../main/apiserver/protobuf/schema';
import type { GoField, ProtoField } from './k8s-sources';
import { k8sPackages, parseGoPackage, parseProto } from './k8s-sources';

const { values } = parseArgs({ options: {
  api: { type: 'string' }, apimachinery: { type: 'string' }, aggregator: { type: 'string' }, release: { type: 'string' },
} });
if (!values.api || !values.apimachinery) {
  throw new Error('usage: gen-protobuf-schema --api DIR --apimachinery DIR [--aggregator DIR] [--release v0.32.9]');
}
const API = values.api;
const MACHINERY = values.apimachinery;
const OUT = join(__dirname, '..', 'main', 'apiserver', 'protobuf', 'schema.generated.json');

const PACKAGES = k8sPackages({ api: API, apimachinery: MACHINERY, aggregator: values.aggregator });

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
  'networking.k8s.io/v1/Ingress': 'networking/v1.Ingress', 'networking.k8s.io/v1/IngressClass': 'networking/v1.IngressClass',
  'certificates.k8s.io/v1/CertificateSigningRequest': 'certificates/v1.CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1/FlowSchema': 'flowcontrol/v1.FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration': 'flowcontrol/v1.PriorityLevelConfiguration',
  'storage.k8s.io/v1/VolumeAttachment': 'storage/v1.VolumeAttachment', 'storage.k8s.io/v1/CSIStorageCapacity': 'storage/v1.CSIStorageCapacity',
  'storage.k8s.io/v1/StorageClass': 'storage/v1.StorageClass', 'storage.k8s.io/v1/CSIDriver': 'storage/v1.CSIDriver',
  'storage.k8s.io/v1/CSINode': 'storage/v1.CSINode',
  'v1/PersistentVolume': 'core/v1.PersistentVolume', 'v1/PersistentVolumeClaim': 'core/v1.PersistentVolumeClaim',
  'v1/PodTemplate': 'core/v1.PodTemplate', 'v1/ReplicationController': 'core/v1.ReplicationController',
  'apps/v1/StatefulSet': 'apps/v1.StatefulSet', 'apps/v1/ControllerRevision': 'apps/v1.ControllerRevision',
  'autoscaling/v1/Scale': 'autoscaling/v1.Scale', 'events.k8s.io/v1/Event': 'events/v1.Event',
  'networking.k8s.io/v1/NetworkPolicy': 'networking/v1.NetworkPolicy', 'node.k8s.io/v1/RuntimeClass': 'node/v1.RuntimeClass',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': 'admissionregistration/v1.ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': 'admissionregistration/v1.MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': 'admissionregistration/v1.ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': 'admissionregistration/v1.ValidatingAdmissionPolicyBinding',
  // kube-aggregator's, only with its checkout (--aggregator).
  ...(values.aggregator ? { 'apiregistration.k8s.io/v1/APIService': 'apiregistration/v1.APIService' } : {}),
};

const SCALARS: Record<string, string> = { string: 's', bool: 'b', bytes: 'y', int32: 'i', int64: 'i', uint32: 'i', uint64: 'i' };

const protos = new Map<string, ProtoField[]>();
const goFields = new Map<string, Map<number, GoField>>();
for (const [pkg, { prefix }] of Object.entries(PACKAGES)) {
  if (prefix === 'schema') continue;
  for (const [name, fields] of parseProto(PACKAGES, pkg)) protos.set(`${prefix}.${name}`, fields);
  for (const [name, struct] of parseGoPackage(PACKAGES[pkg]).structs) goFields.set(`${prefix}.${name}`, struct.byNumber);
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
