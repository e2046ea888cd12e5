// `kubectl rollout history | undo | restart` for Deployments (their ReplicaSets, by the
// deployment.kubernetes.io/revision annotation) and StatefulSets/DaemonSets (their ControllerRevisions),
// with kubectl's patches and messages (k8s.io/kubectl pkg/polymorphichelpers history.go, rollback.go,
// objectrestarter.go).
import type { ApiObject, ControllerRevision, KObject, LabelSelector, PodTemplateSpec, ReplicaSet } from '../api/types';
import { selectorFromLabelSelector } from '../api/labels';
import { semantic } from '../api/semantic';
import type { ApiClient, ResourceRef } from '../client/types';
import type { RolloutRevision } from './contract';
import { BridgeFailure } from './errors';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/** Kept from the Deployment, never copied from the ReplicaSet, on a rollback (rollback.go annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to',
]);

const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };
const CONTROLLER_REVISIONS: ResourceRef = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true };

export type RolloutKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
interface Workload extends KObject {
  spec?: { selector?: LabelSelector; template?: PodTemplateSpec; paused?: boolean };
}

export function rolloutKindOf(ref: ResourceRef): RolloutKind | undefined {
  if (ref.group !== 'apps') return undefined;
  return ({ deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' } as const)[ref.plural as 'deployments'];
}

function images(t: PodTemplateSpec | undefined): string[] {
  return (t?.spec?.containers ?? []).map((c) => c.image ?? '');
}

async function controlled<T extends ApiObject>(client: ApiClient, ref: ResourceRef, w: Workload): Promise<T[]> {
  const selector = selectorFromLabelSelector(w.spec?.selector).toString();
  const l = await client.list<T>(ref, { namespace: w.metadata?.namespace, labelSelector: selector || undefined });
  return l.items.filter((o) => o.metadata?.ownerReferences?.some((r) => r.controller && r.uid === w.metadata?.uid));
}

/** A Deployment's ReplicaSets by revision (a revision held twice: the last one listed, as kubectl's map). */
async function replicaSetsByRevision(client: ApiClient, d: Workload): Promise<Map<number, ReplicaSet>> {
  const out = new Map<number, ReplicaSet>();
  for (const rs of await controlled<ReplicaSet>(client, REPLICASETS, d)) {
    const v = Number(rs.metadata?.annotations?.[REVISION]);
    if (Number.isInteger(v) && v >= 0 && rs.metadata?.annotations?.[REVISION] !== '') out.set(v, rs);
  }
  return out;
}

async function revisionsOf(client: ApiClient, w: Workload): Promise<ControllerRevision[]> {
  return (await controlled<ControllerRevision>(client, CONTROLLER_REVISIONS, w)).sort((a, b) => a.revision - b.revision);
}

/** The template a ControllerRevision restores (its data without the `$patch: replace` directive). */
function templateOfRevision(cr: ControllerRevision): PodTemplateSpec | undefined {
  const data: { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined = cr.data;
  if (!data?.spec?.template) return undefined;
  const { $patch: _directive, ...t } = data.spec.template;
  return t;
}

export async function rolloutHistory(client: ApiClient, kind: RolloutKind, w: Workload): Promise<RolloutRevision[]> {
  const rows: RolloutRevision[] = [];
  if (kind === 'Deployment') {
    for (const [revision, rs] of await replicaSetsByRevision(client, w)) {
      rows.push({
        revision, changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE], source: rs.metadata?.name ?? '',
        created: rs.metadata?.creationTimestamp, current: false, images: images(rs.spec?.template),
      });
    }
  } else {
    for (const cr of await revisionsOf(client, w)) {
      rows.push({
        revision: cr.revision, changeCause: cr.metadata?.annotations?.[CHANGE_CAUSE], source: cr.metadata?.name ?? '',
        created: cr.metadata?.creationTimestamp, current: false, images: images(templateOfRevision(cr)),
      });
    }
  }
  rows.sort((a, b) => a.revision - b.revision);
  if (rows.length) rows[rows.length - 1].current = true;
  return rows;
}

function revisionNotFound(r: number): BridgeFailure {
  return new BridgeFailure(404, 'NotFound', `unable to find specified revision ${r} in history`);
}

function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
  return c;
}

async function undoDeployment(client: ApiClient, ref: ResourceRef, d: Workload, toRevision: number): Promise<string> {
  const byRevision = await replicaSetsByRevision(client, d);
  let rs: ReplicaSet | undefined;
  if (toRevision > 0) {
    rs = byRevision.get(toRevision);
    if (!rs) throw revisionNotFound(toRevision);
  } else {
    const revs = [...byRevision.keys()].sort((a, b) => b - a);
    rs = revs.length > 1 ? byRevision.get(revs[1]) : undefined;
    if (!rs) throw new BridgeFailure(400, 'BadRequest', `no rollout history found for deployment "${d.metadata?.name ?? ''}"`);
  }
  if (d.spec?.paused) throw new BridgeFailure(400, 'BadRequest', "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  const template = withoutHash(rs.spec?.template);
  if (semantic(template) === semantic(withoutHash(d.spec?.template))) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  const annotations: Record<string, string> = {};
  const current = d.metadata?.annotations ?? {};
  for (const k of ANNOTATIONS_TO_SKIP) if (k in current) annotations[k] = current[k];
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const patch = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  await client.patch(ref, d.metadata?.name ?? '', patch, 'json', { namespace: d.metadata?.namespace });
  return 'rolled back';
}

async function undoFromControllerRevision(client: ApiClient, ref: ResourceRef, w: Workload, toRevision: number): Promise<string> {
  const history = await revisionsOf(client, w);
  if (toRevision === 0 && history.length <= 1) throw new BridgeFailure(400, 'BadRequest', 'no last revision to roll back to');
  const to = toRevision === 0 ? history[history.length - 2] : history.find((h) => h.revision === toRevision);
  if (!to) throw revisionNotFound(toRevision);
  if (semantic(templateOfRevision(to)) === semantic(w.spec?.template)) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  await client.patch(ref, w.metadata?.name ?? '', to.data, 'strategic', { namespace: w.metadata?.namespace });
  return 'rolled back';
}

/** `kubectl rollout undo [--to-revision=N]`: kubectl's message ("rolled back" or why it was skipped). */
export async function rolloutUndo(client: ApiClient, ref: ResourceRef, kind: RolloutKind, w: Workload, toRevision: number): Promise<string> {
  if (!Number.isInteger(toRevision) || toRevision < 0) throw revisionNotFound(toRevision);
  return kind === 'Deployment' ? undoDeployment(client, ref, w, toRevision) : undoFromControllerRevision(client, ref, w, toRevision);
}

/** Go's time.RFC3339 of now, in local time with its offset (time.Now().Format(time.RFC3339)). */
export function rfc3339(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/** `kubectl rollout restart`: a strategic merge patch of the template's restartedAt annotation. */
export async function rolloutRestart(client: ApiClient, ref: ResourceRef, kind: RolloutKind, w: Workload, now = new Date()): Promise<void> {
  if (kind === 'Deployment' && w.spec?.paused) throw new BridgeFailure(400, 'BadRequest', "can't restart paused deployment (run rollout resume first)");
  const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: rfc3339(now) } } } } };
  await client.patch(ref, w.metadata?.name ?? '', patch, 'strategic', { namespace: w.metadata?.namespace });
}
