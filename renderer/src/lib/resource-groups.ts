// The browser's left list: every discovered resource type in a section (Workloads, Network, Config &
// Storage, Access control, Cluster, Custom resources), well-known kinds first, each with a plural label.
import type { ApiResourceType } from '../../../main/bridge/contract';

export type Section = 'Workloads' | 'Network' | 'Config & Storage' | 'Access control' | 'Cluster' | 'Custom resources';
export const SECTIONS: readonly Section[] = ['Workloads', 'Network', 'Config & Storage', 'Access control', 'Cluster', 'Custom resources'];

/** `<group>/<resource>`: a type's key in counts and selections (core types: `/pods`). */
export function typeKey(t: Pick<ApiResourceType, 'group' | 'resource'>): string {
  return `${t.group}/${t.resource}`;
}

/** The Gateway API's kinds (CRDs, but Kubernetes' own networking API: listed with Ingresses, as Headlamp does). */
const GATEWAY_API = ['gateways', 'httproutes', 'gatewayclasses', 'grpcroutes', 'tlsroutes', 'tcproutes', 'udproutes', 'referencegrants',
  'backendtlspolicies', 'listenersets'].map((r) => `gateway.networking.k8s.io/${r}`);

/** Well-known types by key, in the order they are listed within their section. */
const KNOWN: ReadonlyArray<readonly [Section, readonly string[]]> = [
  ['Workloads', ['/pods', 'apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'batch/jobs', 'batch/cronjobs', 'apps/replicasets',
    '/replicationcontrollers', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets', '/podtemplates', 'apps/controllerrevisions']],
  ['Network', ['/services', 'networking.k8s.io/ingresses', 'networking.k8s.io/ingressclasses', ...GATEWAY_API, 'networking.k8s.io/networkpolicies',
    '/endpoints', 'discovery.k8s.io/endpointslices', 'networking.k8s.io/ipaddresses', 'networking.k8s.io/servicecidrs']],
  ['Config & Storage', ['/configmaps', '/secrets', '/persistentvolumeclaims', '/persistentvolumes', 'storage.k8s.io/storageclasses',
    '/resourcequotas', '/limitranges', 'storage.k8s.io/csidrivers', 'storage.k8s.io/csinodes', 'storage.k8s.io/volumeattachments',
    'storage.k8s.io/csistoragecapacities', 'storage.k8s.io/volumeattributesclasses']],
  ['Access control', ['/serviceaccounts', 'rbac.authorization.k8s.io/roles', 'rbac.authorization.k8s.io/rolebindings',
    'rbac.authorization.k8s.io/clusterroles', 'rbac.authorization.k8s.io/clusterrolebindings', 'certificates.k8s.io/certificatesigningrequests']],
  ['Cluster', ['/nodes', '/namespaces', '/events', 'flotilla.dev/machines', 'apiextensions.k8s.io/customresourcedefinitions',
    'scheduling.k8s.io/priorityclasses', 'node.k8s.io/runtimeclasses', 'coordination.k8s.io/leases']],
];
const POSITION = new Map<string, { section: Section; index: number }>(
  KNOWN.flatMap(([section, keys]) => keys.map((k, index) => [k, { section, index }] as const)),
);

/** Groups Kubernetes (or Flotilla) itself serves: a type of another group comes from a CRD. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io', 'storage.k8s.io', 'rbac.authorization.k8s.io',
  'certificates.k8s.io', 'coordination.k8s.io', 'events.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io', 'metrics.k8s.io',
  'internal.apiserver.k8s.io', 'storagemigration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'flotilla.dev',
]);

export function sectionOf(t: Pick<ApiResourceType, 'group' | 'resource'>): Section {
  const known = POSITION.get(typeKey(t));
  if (known) return known.section;
  if (!BUILT_IN_GROUPS.has(t.group)) return 'Custom resources';
  if (t.group === 'rbac.authorization.k8s.io' || t.group === 'certificates.k8s.io') return 'Access control';
  if (t.group === 'storage.k8s.io') return 'Config & Storage';
  if (t.group === 'networking.k8s.io' || t.group === 'discovery.k8s.io') return 'Network';
  return 'Cluster';
}

/** The plural a person reads: the kind made plural (Endpoints stays Endpoints). */
export function pluralLabel(t: Pick<ApiResourceType, 'kind' | 'resource'>): string {
  const k = t.kind;
  if (!k) return t.resource;
  // Already plural: Endpoints (resource endpoints), NodeMetrics (resource nodes).
  if (t.resource === k.toLowerCase() || /Metrics$/.test(k)) return k;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** The label with a break opportunity between camel-case words, so a long kind wraps there instead of being cut. */
export function wrappable(label: string): string {
  return label.replace(/([a-z])([A-Z])/g, '$1\u200b$2');
}

export interface SectionList {
  section: Section;
  types: ApiResourceType[];
}

/**
 * The sections with their types: known ones in their fixed order, the rest by label. events.k8s.io's
 * Events are left out (the same objects as core Events, which are listed).
 */
export function groupTypes(types: readonly ApiResourceType[]): SectionList[] {
  const shown = types.filter((t) => !(t.group === 'events.k8s.io' && t.resource === 'events'));
  const order = (t: ApiResourceType) => POSITION.get(typeKey(t))?.index ?? Number.MAX_SAFE_INTEGER;
  return SECTIONS.map((section) => ({
    section,
    types: shown.filter((t) => sectionOf(t) === section)
      .sort((a, b) => order(a) - order(b) || pluralLabel(a).localeCompare(pluralLabel(b)) || a.group.localeCompare(b.group)),
  })).filter((s) => s.types.length > 0);
}
