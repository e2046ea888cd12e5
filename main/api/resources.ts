// The table of every resource the API serves. Discovery, routing, storage keys, tables, the
// OpenAPI document and the clients all read this one table.
import type { CustomResourceDefinitionVersion, JSONSchemaProps, WebhookConversion } from './types';

export interface SubresourceInfo {
  name: 'status' | 'finalize' | 'scale' | 'binding' | 'eviction' | 'log' | 'exec' | 'attach' | 'portforward' | 'proxy' | 'ephemeralcontainers' | 'token' | 'approval';
  /** The kind this subresource speaks (Scale is autoscaling/v1, Eviction is policy/v1). */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceInfo[];
  /** Served from live data or answered per request, not stored (metrics, the access and token reviews). */
  virtual?: boolean;
  /**
   * Defined by this project, not by Kubernetes: served as a custom resource is (metadata.generation
   * counts spec changes, a strategic merge patch is a merge patch).
   */
  custom?: boolean;
  /** Defined by a CustomResourceDefinition (served while it exists; strategic merge patches are refused). */
  crd?: boolean;
  /** A CRD version's openAPIV3Schema (its objects are validated against it). */
  schema?: JSONSchemaProps;
  /** The CRD version this row serves (printer columns, scale subresource, deprecation), and the CRD's storage version. */
  crdVersion?: CustomResourceDefinitionVersion;
  storageVersion?: string;
  /** The CRD's conversion webhook (spec.conversion.strategy Webhook): its objects change version only through it. */
  conversionWebhook?: WebhookConversion;
  /** With a conversion webhook: the row of the CRD's storage version (served or not), which its objects are stored through. */
  storageRow?: ResourceInfo;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_VERBS = ['get', 'list'];
const CREATE_ONLY = ['create'];
/** pods/proxy and services/proxy: every HTTP method, as the verbs kube-apiserver's discovery lists for them. */
const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];
const RBAC = 'rbac.authorization.k8s.io';

function status(group: string, version: string, kind: string): SubresourceInfo {
  return { name: 'status', group, version, kind, verbs: ['get', 'patch', 'update'] };
}
function scale(): SubresourceInfo {
  return { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
}

function res(
  group: string, version: string, kind: string, plural: string, namespaced: boolean,
  opts: Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'verbs' | 'subresources' | 'virtual' | 'custom'>> = {},
): ResourceInfo {
  return {
    group, version, kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced,
    shortNames: opts.shortNames ?? [], categories: opts.categories ?? [], verbs: opts.verbs ?? ALL_VERBS,
    subresources: opts.subresources ?? [], virtual: opts.virtual, custom: opts.custom,
  };
}

const BUILT_IN: readonly ResourceInfo[] = [
  res('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'finalize', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] }, status('', 'v1', 'Namespace')],
  }),
  res('', 'v1', 'Node', 'nodes', false, {
    shortNames: ['no'], subresources: [status('', 'v1', 'Node'), { name: 'proxy', group: '', version: 'v1', kind: 'NodeProxyOptions', verbs: ['get'] }],
  }),
  res('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'], categories: ['all'],
    subresources: [
      status('', 'v1', 'Pod'),
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'ephemeralcontainers', group: '', version: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'proxy', group: '', version: 'v1', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
    ],
  }),
  res('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'], categories: ['all'],
    subresources: [status('', 'v1', 'Service'), { name: 'proxy', group: '', version: 'v1', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }],
  }),
  res('', 'v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'] }),
  res('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  res('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  res('', 'v1', 'Secret', 'secrets', true),
  res('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  res('', 'v1', 'ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: [status('', 'v1', 'ResourceQuota')] }),
  res('', 'v1', 'ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'],
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
  }),
  // The older schedulers' path to bind a pod (POST only; the scheduler here uses pods/binding).
  res('', 'v1', 'Binding', 'bindings', true, { verbs: CREATE_ONLY, virtual: true }),
  // Deprecated in v1.19 but still served (`kubectl get cs`): the control plane's components, checked when read.
  res('', 'v1', 'ComponentStatus', 'componentstatuses', false, { shortNames: ['cs'], verbs: READ_VERBS, virtual: true }),
  res('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: [status('', 'v1', 'PersistentVolume')] }),
  res('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], subresources: [status('', 'v1', 'PersistentVolumeClaim')] }),
  res('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], categories: ['all'], subresources: [status('apps', 'v1', 'Deployment'), scale()] }),
  res('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ['all'], subresources: [status('apps', 'v1', 'ReplicaSet'), scale()] }),
  res('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ['all'], subresources: [status('apps', 'v1', 'DaemonSet')] }),
  res('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: [status('batch', 'v1', 'Job')] }),
  res('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'], categories: ['all'], subresources: [status('batch', 'v1', 'CronJob')] }),
  res('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  res('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  res('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  res('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    shortNames: ['hpa'], categories: ['all'], subresources: [status('autoscaling', 'v2', 'HorizontalPodAutoscaler')],
  }),
  res('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] }),
  res('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'], subresources: [status('networking.k8s.io', 'v1', 'Ingress')] }),
  res('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  res('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], subresources: [status('policy', 'v1', 'PodDisruptionBudget')] }),
  res('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], categories: ['all'], subresources: [status('apps', 'v1', 'StatefulSet'), scale()] }),
  res('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  res('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
  res(RBAC, 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  res(RBAC, 'v1', 'ClusterRole', 'clusterroles', false),
  res(RBAC, 'v1', 'RoleBinding', 'rolebindings', true),
  res(RBAC, 'v1', 'Role', 'roles', true),
  res('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, { verbs: CREATE_ONLY, virtual: true }),
  res('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, { verbs: CREATE_ONLY, virtual: true }),
  res('authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true, { verbs: CREATE_ONLY, virtual: true }),
  res('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, { verbs: CREATE_ONLY, virtual: true }),
  res('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, { verbs: CREATE_ONLY, virtual: true }),
  res('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, { verbs: CREATE_ONLY, virtual: true }),
  res('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: [status('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition')],
  }),
  res('', 'v1', 'PodTemplate', 'podtemplates', true),
  res('', 'v1', 'ReplicationController', 'replicationcontrollers', true, { shortNames: ['rc'], categories: ['all'], subresources: [status('', 'v1', 'ReplicationController'), scale()] }),
  res('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false),
  res('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false),
  res('storage.k8s.io', 'v1', 'CSINode', 'csinodes', false),
  res('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', false, { subresources: [status('storage.k8s.io', 'v1', 'VolumeAttachment')] }),
  res('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities', true),
  res('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, {
    shortNames: ['csr'], subresources: [
      status('certificates.k8s.io', 'v1', 'CertificateSigningRequest'),
      { name: 'approval', group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  res('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
  res('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
  res('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, {
    categories: ['api-extensions'], subresources: [status('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicy')],
  }),
  res('admissionregistration.k8s.io', 'v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, { categories: ['api-extensions'] }),
  res('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', false, { subresources: [status('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema')] }),
  res('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, {
    subresources: [status('flowcontrol.apiserver.k8s.io', 'v1', 'PriorityLevelConfiguration')],
  }),
  res('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false, {
    categories: ['api-extensions'], subresources: [status('apiregistration.k8s.io', 'v1', 'APIService')],
  }),
  res('flotilla.dev', 'v1alpha1', 'Machine', 'machines', false, { shortNames: ['ma'], subresources: [status('flotilla.dev', 'v1alpha1', 'Machine')], custom: true }),
  res('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', false, { verbs: READ_VERBS, virtual: true }),
  res('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', true, { verbs: READ_VERBS, virtual: true }),
];

/**
 * Every resource served now: the built-in table, then those CustomResourceDefinitions define
 * (serveCustomResources replaces them in place, so readers always iterate the current set).
 */
export const RESOURCES: readonly ResourceInfo[] = [...BUILT_IN];

/**
 * A further version a stored kind is served in: each request converts to and from the stored version
 * (`storedAs`, same plural; the same group but for events.k8s.io). Not stored, so not in RESOURCES: routing, discovery and the
 * OpenAPI document read it; storage, informers and controllers see only the stored version.
 */
export interface ConvertedResourceInfo extends ResourceInfo {
  storedAs: ResourceInfo;
}

/** Verbs a converted version serves (patches apply to the served form; watch events are converted). */
const CONVERTED_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function converted(stored: ResourceInfo, version: string): ConvertedResourceInfo {
  const sub = (s: SubresourceInfo): SubresourceInfo => (s.name === 'status' ? { ...s, version } : s);
  return { ...stored, version, verbs: CONVERTED_VERBS, subresources: stored.subresources.map(sub), storedAs: stored };
}

const storedRow = (group: string, plural: string): ResourceInfo => BUILT_IN.find((r) => r.group === group && r.plural === plural)!;

/** A kind served in a second group as well (events.k8s.io/v1 Event is core/v1's): every verb, converted per request. */
function servedInGroup(stored: ResourceInfo, group: string, version: string): ConvertedResourceInfo {
  return { ...stored, group, version, storedAs: stored };
}

/** Older versions served by conversion (their conversions: api/conversion/). The stored version stays preferred. */
export const CONVERTED_RESOURCES: readonly ConvertedResourceInfo[] = [
  converted(storedRow('autoscaling', 'horizontalpodautoscalers'), 'v1'),
  servedInGroup(storedRow('', 'events'), 'events.k8s.io', 'v1'),
];

export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Groups in the order discovery lists them (core first). */
export function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of [...RESOURCES, ...CONVERTED_RESOURCES]) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

const byPath = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();
const byStoredKind = new Map<string, ResourceInfo>();

function index(): void {
  byPath.clear();
  byKind.clear();
  byStoredKind.clear();
  for (const r of RESOURCES) {
    byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
    if (r.virtual) continue;
    byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
    // A kind served in several versions: storage is shared, the first (the storage version) names it.
    if (!byStoredKind.has(r.kind)) byStoredKind.set(r.kind, r);
  }
}
index();

/**
 * Serves exactly `rows` as the custom resources (replacing those served before): routing, discovery,
 * OpenAPI and storage keys see them at once. A row that collides with a built-in resource is left out.
 */
export function serveCustomResources(rows: readonly ResourceInfo[]): void {
  const builtInPaths = new Set(BUILT_IN.map((r) => `${r.group}/${r.version}/${r.plural}`));
  const list = RESOURCES as ResourceInfo[];
  list.splice(0, list.length, ...BUILT_IN, ...rows.filter((r) => !builtInPaths.has(`${r.group}/${r.version}/${r.plural}`)).map((r) => ({ ...r, crd: true })));
  index();
}

/**
 * A lookup of what other modules register per resource (a kind's strategy, its table columns), from
 * `[group, plural, value]` rows. A row naming a resource this table does not serve throws at once.
 */
export function perResource<T>(rows: ReadonlyArray<readonly [group: string, plural: string, value: T]>): (r: Pick<ResourceInfo, 'group' | 'plural'>) => T | undefined {
  const key = (r: Pick<ResourceInfo, 'group' | 'plural'>) => `${r.group}/${r.plural}`;
  const values = new Map<string, T>();
  for (const [group, plural, value] of rows) {
    if (!BUILT_IN.some((r) => r.group === group && r.plural === plural)) throw new Error(`no resource ${group}/${plural} is served`);
    values.set(key({ group, plural }), value);
  }
  return (r) => values.get(key(r));
}

/** Look a resource up by the URL parts /apis/<group>/<version>/<plural>. */
export function resourceFor(group: string, version: string, plural: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** A version served by conversion, by the URL parts /apis/<group>/<version>/<plural>. */
export function convertedResourceFor(group: string, version: string, plural: string): ConvertedResourceInfo | undefined {
  return CONVERTED_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Look a stored resource up by apiVersion and kind, as found in an object. */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** Look a stored resource up by its kind alone (each kind is served in one version). */
export function storedResourceOfKind(kind: string): ResourceInfo | undefined {
  return byStoredKind.get(kind);
}

/**
 * What other modules register per kind (defaults, validation rules), as a lookup. A key naming no
 * stored kind throws at once.
 */
export function perKind<T>(rows: Readonly<Record<string, T>>): (kind: string) => T | undefined {
  const values = new Map<string, T>();
  for (const [kind, value] of Object.entries(rows)) {
    if (!BUILT_IN.some((r) => r.kind === kind && !r.virtual)) throw new Error(`no stored resource has kind ${kind}`);
    values.set(kind, value);
  }
  return (kind) => values.get(kind);
}

/**
 * The storage key of an object. Keys sort so that a prefix lists a resource (all namespaces),
 * or one namespace of it: /registry/<group|core>/<plural>/<namespace>/<name> (cluster-scoped: no namespace part).
 */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${storagePrefix(r, namespace)}${name}` : `${storagePrefix(r)}${name}`;
}

/** Prefix of every key of a resource, or of one namespace of it. Always ends with '/'. */
export function storagePrefix(r: ResourceInfo, namespace?: string): string {
  const base = `/registry/${r.group || 'core'}/${r.plural}/`;
  return r.namespaced && namespace ? `${base}${namespace}/` : base;
}
