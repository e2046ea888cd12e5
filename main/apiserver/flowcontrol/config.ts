// API Priority and Fairness' configuration as the filter uses it: priority levels and flow schemas compiled from the
// flowcontrol.apiserver.k8s.io objects (their UIDs are the ones the PF headers name), and the bootstrap
// configuration (main/api/flowcontrol-bootstrap.ts, kube-apiserver's mandatory and suggested objects) compiled the same
// way for a server that has not read its stored configuration (yet).
import { createHash } from 'node:crypto';
import type { FlowSchema as FlowSchemaObject, PriorityLevelConfiguration } from '../../api/types';
import { MANDATORY_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS, SUGGESTED_FLOW_SCHEMAS, SUGGESTED_PRIORITY_LEVELS } from '../../api/flowcontrol-bootstrap';

export type DistinguisherMethod = 'ByUser' | 'ByNamespace';

export interface QueuingConfiguration {
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

export interface PriorityLevel {
  name: string;
  /** The object's UID, sent in X-Kubernetes-PF-PriorityLevel-UID. */
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

/** One of a schema's rules: a request matches when one of its subjects and one of its rules do. */
export interface PolicyRules {
  subjects: Subject[];
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
}

export interface FlowSchema {
  name: string;
  uid: string;
  priorityLevel: string;
  matchingPrecedence: number;
  distinguisher?: DistinguisherMethod;
  rules: PolicyRules[];
}

/** A UUID made from a name: the bootstrap configuration's UIDs before the stored objects are read. */
function uidOf(kind: string, name: string): string {
  const h = createHash('sha1').update(`flowcontrol.apiserver.k8s.io/${kind}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A stored PriorityLevelConfiguration as the filter uses it. */
export function compileLevel(o: PriorityLevelConfiguration): PriorityLevel {
  const name = o.metadata?.name ?? '';
  const uid = o.metadata?.uid ?? uidOf('PriorityLevelConfiguration', name);
  if (o.spec?.type === 'Exempt') return { name, uid, type: 'Exempt', shares: 0 };
  const l = o.spec?.limited;
  const q = l?.limitResponse?.type === 'Queue' ? l.limitResponse.queuing : undefined;
  return {
    name, uid, type: 'Limited', shares: l?.nominalConcurrencyShares ?? 30,
    queuing: q ? { queues: q.queues ?? 64, handSize: q.handSize ?? 8, queueLengthLimit: q.queueLengthLimit ?? 50 } : undefined,
  };
}

/** A stored FlowSchema as the filter uses it. */
export function compileSchema(o: FlowSchemaObject): FlowSchema {
  const name = o.metadata?.name ?? '';
  const spec = o.spec;
  const method = spec?.distinguisherMethod?.type;
  return {
    name, uid: o.metadata?.uid ?? uidOf('FlowSchema', name), priorityLevel: spec?.priorityLevelConfiguration.name ?? '',
    matchingPrecedence: spec?.matchingPrecedence ?? 1000, distinguisher: method === 'ByUser' || method === 'ByNamespace' ? method : undefined,
    rules: (spec?.rules ?? []).map((r) => ({
      subjects: r.subjects.flatMap((s): Subject[] => {
        if (s.kind === 'Group' && s.group) return [{ kind: 'Group', name: s.group.name }];
        if (s.kind === 'User' && s.user) return [{ kind: 'User', name: s.user.name }];
        const sa = s.serviceAccount;
        if (s.kind === 'ServiceAccount' && sa) return [{ kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name }];
        return [];
      }),
      resourceRules: (r.resourceRules ?? []).map((x) => ({
        verbs: [...x.verbs], apiGroups: [...x.apiGroups], resources: [...x.resources], namespaces: [...(x.namespaces ?? [])],
        clusterScope: x.clusterScope ?? false,
      })),
      nonResourceRules: (r.nonResourceRules ?? []).map((x) => ({ verbs: [...x.verbs], nonResourceURLs: [...x.nonResourceURLs] })),
    })),
  };
}

/** The bootstrap priority levels, compiled. */
export const PRIORITY_LEVELS: readonly PriorityLevel[] = [...MANDATORY_PRIORITY_LEVELS, ...SUGGESTED_PRIORITY_LEVELS].map(compileLevel);

/** The bootstrap flow schemas, compiled (in no particular order: classify sorts them). */
export const FLOW_SCHEMAS: readonly FlowSchema[] = [...MANDATORY_FLOW_SCHEMAS, ...SUGGESTED_FLOW_SCHEMAS].map(compileSchema);

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
