// A workload's revision history in ControllerRevisions (pkg/controller/history), shared by the
// StatefulSet and DaemonSet controllers: a revision's data is the patch that restores its pod
// template (`{"spec":{"template":{…,"$patch":"replace"}}}`, what kubectl rollout undo applies),
// named `<owner>-<hash>`, labelled with the template's labels and `controller-revision-hash`,
// numbered 1, 2, … with a re-applied old template renumbered as the newest; the oldest revisions
// no pod uses are pruned beyond revisionHistoryLimit.
import type { ControllerRevision, KObject, PodTemplateSpec } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { R } from '../client/refs';
import { isAlreadyExists } from '../client/types';
import type { ControllerContext } from './controller';
import { hashOf, semantic } from './deployment-util';
import { ignoreNotFound } from './ignore-not-found';
import { ownerRefFor } from './pod-util';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The data of a revision of this template. */
export function revisionData(template: PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision restores. */
export function templateOf(cr: ControllerRevision): PodTemplateSpec {
  const data: unknown = cr.data;
  const spec = isRecord(data) && isRecord(data.spec) ? data.spec : {};
  const t: Record<string, unknown> = isRecord(spec.template) ? { ...spec.template } : {};
  delete t.$patch;
  return t;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sameData(a: ControllerRevision, b: ControllerRevision): boolean {
  return semantic(a.data) === semantic(b.data);
}

/** HashControllerRevision: the hash of the data (and the collision count). */
export function hashRevision(data: unknown, collisionCount?: number): string {
  return hashOf(semantic(data) ?? '', collisionCount);
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** NewControllerRevision, not yet stored. */
export function newRevision(
  owner: KObject, template: PodTemplateSpec | undefined, revision: number, collisionCount: number, hash?: string,
): ControllerRevision {
  const data = revisionData(template);
  const h = hash ?? hashRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata?.name ?? '', h), namespace: owner.metadata?.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: h },
      // The owner's annotations as they are when the revision is made (kubernetes.io/change-cause: the CHANGE-CAUSE
      // of `kubectl rollout history`), as the StatefulSet and DaemonSet controllers copy them.
      ...(owner.metadata?.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
      ownerReferences: [ownerRefFor(owner)],
    },
    data, revision,
  };
}

/** The owner's revisions, oldest revision first. */
export function ownedRevisions(ctx: ControllerContext, owner: KObject): ControllerRevision[] {
  const all = ctx.informers.controllerrevisions.byIndex(BY_CONTROLLER, owner.metadata?.uid ?? '');
  return [...all].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? ''));
}

export function nextRevision(revisions: ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
}

export interface Revisions {
  /** The revision of the current template. */
  update: ControllerRevision;
  collisionCount: number;
}

/**
 * The revision of the owner's template: the newest equal revision (renumbered as the newest if it is
 * not), else a new one. A name taken by other data is a hash collision: the count goes up and the
 * name changes (as getStatefulSetRevisions / constructHistory do).
 */
export async function ensureRevision(ctx: ControllerContext, owner: KObject, template: PodTemplateSpec | undefined, history: ControllerRevision[],
  collisionCount: number, hashFor?: (count: number) => string): Promise<Revisions> {
  const ns = owner.metadata?.namespace;
  const next = nextRevision(history);
  const wanted = newRevision(owner, template, next, collisionCount, hashFor?.(collisionCount));
  const equal = history.filter((r) => sameData(r, wanted));
  const last = equal[equal.length - 1];
  if (last) {
    if (last === history[history.length - 1]) return { update: last, collisionCount };
    const renumbered = await ctx.client.patch<ControllerRevision>(R.controllerrevisions, last.metadata!.name!, { revision: next }, 'merge', { namespace: ns });
    return { update: renumbered, collisionCount };
  }
  let count = collisionCount;
  for (;;) {
    const cr = newRevision(owner, template, next, count, hashFor?.(count));
    try {
      return { update: await ctx.client.create<ControllerRevision>(R.controllerrevisions, cr, { namespace: ns }), collisionCount: count };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await ctx.client.get<ControllerRevision>(R.controllerrevisions, cr.metadata!.name!, ns);
      const mine = existing.metadata?.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata?.uid);
      if (mine && sameData(existing, cr)) return { update: existing, collisionCount: count };
      count++;
    }
  }
}

/** Deletes the oldest revisions that are not live until at most `limit` non-live ones remain. */
export async function truncateHistory(ctx: ControllerContext, history: ControllerRevision[], live: Set<string>, limit: number): Promise<void> {
  const old = history.filter((r) => !live.has(r.metadata?.name ?? ''));
  for (const r of old.slice(0, Math.max(0, old.length - limit))) {
    await ignoreNotFound(ctx.client.delete(R.controllerrevisions, r.metadata!.name!, { namespace: r.metadata?.namespace }));
  }
}
