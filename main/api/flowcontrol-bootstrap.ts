// API Priority and Fairness' bootstrap configuration (k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap): the mandatory
// and suggested PriorityLevelConfigurations and FlowSchemas every cluster starts with, as the objects the API serves
// (their specs with the API's defaults), marked for the configuration ensurer to keep their specs up to date.
import type { FlowSchema, PriorityLevelConfiguration } from './types';

/** Objects with this annotation "true" get their bootstrap spec back when the control plane starts. */
export const AUTOUPDATE_SPEC_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';

type Subject = NonNullable<NonNullable<FlowSchema['spec']>['rules']>[number]['subjects'][number];
type ResourceRule = NonNullable<NonNullable<NonNullable<FlowSchema['spec']>['rules']>[number]['resourceRules']>[number];
type NonResourceRule = NonNullable<NonNullable<NonNullable<FlowSchema['spec']>['rules']>[number]['nonResourceRules']>[number];

const META = (name: string) => ({ name, annotations: { [AUTOUPDATE_SPEC_ANNOTATION]: 'true' } });

function limited(name: string, shares: number, lendablePercent: number, queuing?: [number, number, number]): PriorityLevelConfiguration {
  return {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: META(name),
    spec: { type: 'Limited', limited: {
      nominalConcurrencyShares: shares, lendablePercent,
      limitResponse: queuing ? { type: 'Queue', queuing: { queues: queuing[0], handSize: queuing[1], queueLengthLimit: queuing[2] } } : { type: 'Reject' },
    } },
  };
}

export const MANDATORY_PRIORITY_LEVELS: readonly PriorityLevelConfiguration[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: META('exempt'),
    spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } } },
  limited('catch-all', 5, 0),
];

export const SUGGESTED_PRIORITY_LEVELS: readonly PriorityLevelConfiguration[] = [
  limited('system', 30, 33, [64, 6, 50]),
  limited('node-high', 40, 25, [64, 6, 50]),
  limited('leader-election', 10, 0, [16, 4, 50]),
  limited('workload-high', 40, 50, [128, 6, 50]),
  limited('workload-low', 100, 90, [128, 6, 50]),
  limited('global-default', 20, 50, [128, 6, 50]),
];

const ALL_RESOURCES: ResourceRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true };
const ALL_NON_RESOURCES: NonResourceRule = { verbs: ['*'], nonResourceURLs: ['*'] };
const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', user: { name } }));
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', serviceAccount: { namespace, name } });
const KUBE_SYSTEM_SERVICE_ACCOUNTS: Subject[] = [serviceAccount('kube-system', '*')];
const LEADER_ELECTION = (namespaces: string[]): ResourceRule[] => [
  { verbs: ['get', 'create', 'update'], apiGroups: [''], resources: ['endpoints', 'configmaps'], namespaces, clusterScope: false },
  { verbs: ['get', 'create', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['*'], clusterScope: false },
];

function schema(
  name: string, priorityLevel: string, matchingPrecedence: number, distinguisher: 'ByUser' | 'ByNamespace' | undefined,
  subjects: Subject[], resourceRules: ResourceRule[] = [ALL_RESOURCES], nonResourceRules: NonResourceRule[] = [ALL_NON_RESOURCES],
): FlowSchema {
  const rule: Record<string, unknown> = { subjects };
  if (resourceRules.length) rule.resourceRules = resourceRules;
  if (nonResourceRules.length) rule.nonResourceRules = nonResourceRules;
  return {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: META(name),
    spec: {
      priorityLevelConfiguration: { name: priorityLevel }, matchingPrecedence,
      ...(distinguisher ? { distinguisherMethod: { type: distinguisher } } : {}),
      rules: [rule as unknown as NonNullable<NonNullable<FlowSchema['spec']>['rules']>[number]],
    },
  };
}

export const MANDATORY_FLOW_SCHEMAS: readonly FlowSchema[] = [
  schema('exempt', 'exempt', 1, undefined, groups('system:masters')),
  schema('catch-all', 'catch-all', 10000, 'ByUser', groups('system:unauthenticated', 'system:authenticated')),
];

export const SUGGESTED_FLOW_SCHEMAS: readonly FlowSchema[] = [
  schema('probes', 'exempt', 2, undefined, groups('system:unauthenticated', 'system:authenticated'), [],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }]),
  schema('system-leader-election', 'leader-election', 100, 'ByUser',
    [...users('system:kube-controller-manager', 'system:kube-scheduler'), ...KUBE_SYSTEM_SERVICE_ACCOUNTS], LEADER_ELECTION(['kube-system']), []),
  schema('endpoint-controller', 'workload-high', 150, 'ByUser',
    [...users('system:kube-controller-manager'), serviceAccount('kube-system', 'endpoint-controller')],
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
];

/** The mandatory objects' fixed specs by name (the API refuses another spec for them). */
export const MANDATORY_PRIORITY_LEVEL_SPECS = new Map(MANDATORY_PRIORITY_LEVELS.map((p) => [p.metadata!.name!, p.spec!]));
export const MANDATORY_FLOW_SCHEMA_SPECS = new Map(MANDATORY_FLOW_SCHEMAS.map((f) => [f.metadata!.name!, f.spec!]));
