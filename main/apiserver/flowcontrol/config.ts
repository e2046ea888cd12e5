// API Priority and Fairness: the priority levels and flow schemas kube-apiserver starts with (the mandatory and
// suggested configuration of k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap), as this server's fixed
// configuration: same names, matching precedences, subjects, rules, distinguishers, nominal concurrency shares and
// queuing. Not served as flowcontrol.apiserver.k8s.io objects (yet): they cannot be changed at run time.
import { createHash } from 'node:crypto';

export type DistinguisherMethod = 'ByUser' | 'ByNamespace';

export interface QueuingConfiguration {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

export interface PriorityLevel {
  name: string;
  /** Stable across restarts (derived from the name), sent in X-Kubernetes-PF-PriorityLevel-UID. */
  uid: string;
  type: 'Exempt' | 'Limited';
  /** Limited levels: nominalConcurrencyShares. */
  shares: number;
  /** Limited levels: queuing (LimitResponse Queue); absent: Reject once the seats are taken. */
  queuing?: QueuingConfiguration;
}

export type Subject =
  | { kind: 'Group'; name: string }
  | { kind: 'User'; name: string }
  | { kind: 'ServiceAccount'; namespace: string; name: string };

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  /** `nodes`, `nodes/status`, `*`. */
  resources: string[];
  /** `*` is every namespace; cluster-scoped requests match only with clusterScope. */
  namespaces: string[];
  clusterScope: boolean;
}

export interface NonResourceRule {
  verbs: string[];
  /** `*`, an exact path, or a prefix ending in `/*`. */
  nonResourceURLs: string[];
}

export interface FlowSchema {
  name: string;
  uid: string;
  priorityLevel: string;
  matchingPrecedence: number;
  distinguisher?: DistinguisherMethod;
  subjects: Subject[];
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
}

/** A UUID made from a name, so the headers name the same configuration object across restarts. */
function uidOf(kind: string, name: string): string {
  const h = createHash('sha1').update(`flowcontrol.apiserver.k8s.io/${kind}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function level(name: string, shares: number, queuing?: QueuingConfiguration): PriorityLevel {
  return { name, uid: uidOf('PriorityLevelConfiguration', name), type: 'Limited', shares, queuing };
}

const q = (queues: number, handSize: number, queueLengthLimit: number): QueuingConfiguration => ({ queues, handSize, queueLengthLimit });

export const PRIORITY_LEVELS: readonly PriorityLevel[] = [
  { name: 'exempt', uid: uidOf('PriorityLevelConfiguration', 'exempt'), type: 'Exempt', shares: 0 },
  level('system', 30, q(64, 6, 50)),
  level('node-high', 40, q(64, 6, 50)),
  level('leader-election', 10, q(16, 4, 50)),
  level('workload-high', 40, q(128, 6, 50)),
  level('workload-low', 100, q(128, 6, 50)),
  level('global-default', 20, q(128, 6, 50)),
  level('catch-all', 5),
];

const ALL_RESOURCES: ResourceRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true };
const ALL_NON_RESOURCES: NonResourceRule = { verbs: ['*'], nonResourceURLs: ['*'] };
const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', name }));
const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', name }));
const KUBE_SYSTEM_SERVICE_ACCOUNTS: Subject[] = [{ kind: 'ServiceAccount', namespace: 'kube-system', name: '*' }];
const LEADER_ELECTION = (namespaces: string[]): ResourceRule[] => [
  { verbs: ['get', 'create', 'update'], apiGroups: [''], resources: ['endpoints', 'configmaps'], namespaces, clusterScope: false },
  { verbs: ['get', 'create', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['*'], clusterScope: false },
];

function schema(
  name: string, priorityLevel: string, matchingPrecedence: number, distinguisher: DistinguisherMethod | undefined,
  subjects: Subject[], resourceRules: ResourceRule[] = [ALL_RESOURCES], nonResourceRules: NonResourceRule[] = [ALL_NON_RESOURCES],
): FlowSchema {
  return { name, uid: uidOf('FlowSchema', name), priorityLevel, matchingPrecedence, distinguisher, subjects, resourceRules, nonResourceRules };
}

/** In matching order: ascending matchingPrecedence, then name (as the APF controller sorts them). */
export const FLOW_SCHEMAS: readonly FlowSchema[] = [
  schema('exempt', 'exempt', 1, undefined, groups('system:masters')),
  schema('probes', 'exempt', 2, undefined, groups('system:unauthenticated', 'system:authenticated'), [],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }]),
  schema('system-leader-election', 'leader-election', 100, 'ByUser',
    [...users('system:kube-controller-manager', 'system:kube-scheduler'), ...KUBE_SYSTEM_SERVICE_ACCOUNTS], LEADER_ELECTION(['kube-system']), []),
  schema('endpoint-controller', 'workload-high', 150, 'ByUser',
    [...users('system:kube-controller-manager'), { kind: 'ServiceAccount', namespace: 'kube-system', name: 'endpoint-controller' }],
    [{ verbs: ['get', 'create', 'update'], apiGroups: [''], resources: ['endpoints'], namespaces: ['*'], clusterScope: false }], []),
  schema('workload-leader-election', 'leader-election', 200, 'ByUser', KUBE_SYSTEM_SERVICE_ACCOUNTS, LEADER_ELECTION(['*']), []),
  schema('system-node-high', 'node-high', 400, 'ByUser', groups('system:nodes'), [
    { verbs: ['*'], apiGroups: [''], resources: ['nodes', 'nodes/status'], namespaces: ['*'], clusterScope: true },
    { verbs: ['*'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['*'], clusterScope: false },
  ], []),
  schema('system-nodes', 'system', 500, 'ByUser', groups('system:nodes')),
  schema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', users('system:kube-controller-manager')),
  schema('kube-scheduler', 'workload-high', 800, 'ByNamespace', users('system:kube-scheduler')),
  schema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', KUBE_SYSTEM_SERVICE_ACCOUNTS),
  schema('service-accounts', 'workload-low', 9000, 'ByUser', groups('system:serviceaccounts')),
  schema('global-default', 'global-default', 9900, 'ByUser', groups('system:unauthenticated', 'system:authenticated')),
  schema('catch-all', 'catch-all', 10000, 'ByUser', groups('system:unauthenticated', 'system:authenticated')),
];

/** kube-apiserver's default server concurrency limit: --max-requests-inflight (400) + --max-mutating-requests-inflight (200). */
export const DEFAULT_SERVER_CONCURRENCY_LIMIT = 600;

/** How long a request may wait in its queue when it has no deadline of its own (kube-apiserver: 15 s, at most 1 min). */
export const DEFAULT_REQUEST_WAIT_LIMIT_MS = 15_000;

/**
 * Each limited level's nominal concurrency limit: ceil(serverCL × shares / Σ shares), as kube-apiserver computes
 * NominalCL (the exempt level's shares are 0). Borrowing between levels is not done.
 */
export function nominalLimits(levels: readonly PriorityLevel[], serverConcurrencyLimit: number): Map<string, number> {
  const limited = levels.filter((l) => l.type === 'Limited');
  const sum = limited.reduce((a, l) => a + l.shares, 0);
  return new Map(limited.map((l) => [l.name, Math.max(1, Math.ceil((serverConcurrencyLimit * l.shares) / sum))]));
}
