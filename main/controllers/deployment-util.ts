// Facts about Deployments and their ReplicaSets (pkg/controller/deployment/util): the pod
// template hash, revisions, template equality ignoring the hash label, surge and unavailability.
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../api/types';

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
/** Deployment annotations that are not copied to its ReplicaSets (and kubectl rollout undo skips). */
export const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY,
  DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to',
]);

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** controller.ComputeHash: FNV-32a of the template (and collisionCount), safe-encoded. */
export function computeHash(t: PodTemplateSpec | undefined, collisionCount?: number): string {
  return hashOf(t ?? {}, collisionCount);
}

/** The same hash of any JSON value (HashControllerRevision hashes a revision's data this way). */
export function hashOf(v: unknown, collisionCount?: number): string {
  let s = stable(v);
  if (collisionCount) s += String(collisionCount);
  return String(fnv32a(s)).split('').map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

export { semantic } from '../api/semantic';
import { semantic } from '../api/semantic';
import { compareCodePoints } from '../api/string-order';

function withoutHash(t: PodTemplateSpec | undefined): string {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
  return semantic(c) ?? '';
}

/** EqualIgnoreHash: the templates are semantically equal once the pod-template-hash label is set aside. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return withoutHash(a) === withoutHash(b);
}

export function revisionOf(o: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = Number(o.metadata?.annotations?.[REVISION] ?? '0');
  return Number.isFinite(v) ? v : 0;
}

function resolve(v: number | string | undefined, def: string, total: number, roundUp: boolean): number {
  const x = v ?? def;
  if (typeof x === 'number') return x;
  if (x.endsWith('%')) {
    const f = (Number(x.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(f) : Math.floor(f);
  }
  return Number(x) || 0;
}

/** maxSurge and maxUnavailable as numbers (ResolveFenceposts). */
export function surgeAndUnavailable(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = resolve(ru?.maxSurge, '25%', replicas, true);
  let maxUnavailable = resolve(ru?.maxUnavailable, '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

export function specReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 0;
}

export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '');
  return d !== 0 ? d : compareCodePoints(a.metadata?.name ?? '', b.metadata?.name ?? '');
}
