// The DaemonSet controller: one pod per eligible node (daemonset-nodes.ts), pinned to it by node
// affinity and bound by the scheduler (daemonset-pods.ts), following nodes as they join and
// leave; failed daemon pods are replaced (with backoff); pods of an old template are replaced
// node by node, with or without surge (daemonset-rollout.ts); status per node (daemonset-status.ts);
// each template is a ControllerRevision (controller-history.ts) whose hash labels its pods, so that
// kubectl rollout history/undo work, pruned beyond revisionHistoryLimit.
import type { ControllerRevision, DaemonSet, DaemonSetStatus, KObject, Node, Pod } from '../api/types';
import { BY_CONTROLLER } from '../client/cache/shared-informers';
import { newReconciler } from '../client/reconciler';
import type { ReconcileResult } from '../client/reconciler';
import { R, keyOf } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { placement } from './daemonset-nodes';
import { daemonPodFor, isDeleting, podsByNode } from './daemonset-pods';
import { maxSurge, rollingUpdateStep } from './daemonset-rollout';
import { daemonSetStatus, sameDaemonSetStatus } from './daemonset-status';
import { computeHash } from './deployment-util';
import { REVISION_HASH_LABEL, ensureRevision, ownedRevisions, truncateHistory } from './controller-history';
import { Expectations, podObserver } from './expectations';
import { slowStartBatch } from './slow-start';
import { asError } from '../protocol/as-error';
import { withExtras } from './extras';
import { PodControl } from './pod-control';
import { ignoreNotFound } from './ignore-not-found';
import { controllerRef, isPodReady } from './pod-util';

/** Failed daemon pods on a node are replaced after 1 s, doubling to 15 min (failedPodsBackoff). */
const FAILED_BACKOFF_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;

interface Plan {
  create: string[];
  remove: Pod[];
  /** When a failed pod's backoff ends. */
  retryAfterMs?: number;
}

export function newDaemonSetController(ctx: ControllerContext): Controller {
  const dsc = new DaemonSetSync(ctx);
  const placementChanged = (o: Node, n: Node) => JSON.stringify([o.metadata?.labels, o.spec?.taints]) !== JSON.stringify([n.metadata?.labels, n.spec?.taints]);
  const controller = newReconciler(ctx, 'daemonset', { workers: 2 })
    .for('daemonsets')
    .owns('pods')
    .watches<Node>('nodes', () => ctx.informers.daemonsets.list().map(keyOf), { update: placementChanged })
    .watches<KObject>('controllerrevisions', (cr) => {
      const ref = controllerRef(cr);
      return ref?.kind === 'DaemonSet' ? [`${cr.metadata?.namespace}/${ref.name}`] : [];
    })
    .complete((key) => dsc.sync(key));
  return withExtras(controller, { register: () => ctx.informers.pods.addHandler(dsc.podEvents()) });
}

class DaemonSetSync {
  private readonly exp = new Expectations();
  private readonly failedBackoff = new Map<string, { delayMs: number; until: number }>();
  private readonly pods: PodControl;

  constructor(private readonly ctx: ControllerContext) {
    this.pods = new PodControl(ctx.client, ctx.recorder('daemonset-controller'));
  }

  podEvents() {
    return podObserver(this.exp, (p) => {
      const ref = controllerRef(p);
      return ref?.kind === 'DaemonSet' ? `${p.metadata?.namespace}/${ref.name}` : undefined;
    });
  }

  async sync(key: string): Promise<ReconcileResult | undefined> {
    const ds = this.ctx.informers.daemonsets.get(key);
    if (!ds) {
      this.exp.delete(key);
      return;
    }
    const history = ownedRevisions(this.ctx, ds as KObject);
    const deleting = !!ds.metadata?.deletionTimestamp;
    const hashFor = (n: number) => computeHash(ds.spec?.template, n);
    const collisions = ds.status?.collisionCount ?? 0;
    const revision = deleting ? undefined : (await ensureRevision(this.ctx, ds as KObject, ds.spec?.template, history, collisions, hashFor)).update;
    const hash = revision?.metadata?.labels?.[REVISION_HASH_LABEL] ?? computeHash(ds.spec?.template, ds.status?.collisionCount);
    const nodes = this.ctx.informers.nodes.list();
    const byNode = podsByNode(this.ctx.informers.pods.byIndex(BY_CONTROLLER, ds.metadata?.uid ?? ''));
    let retryAfterMs: number | undefined;
    let failure: Error | undefined;
    if (this.exp.satisfied(key) && !ds.metadata?.deletionTimestamp) {
      const plan = this.manage(ds, key, nodes, byNode, hash);
      retryAfterMs = plan.retryAfterMs;
      if (!plan.create.length && !plan.remove.length) ({ remove: plan.remove, create: plan.create } = rollingUpdateStep(ds, nodes, byNode, hash));
      failure = await this.syncNodes(ds, key, plan, hash);
    }
    // syncDaemonSet: the status is written either way, then a failed create or delete is returned, so the key is
    // retried with back-off (nothing else would bring it back: a quota refusing pods changes no pod or node).
    const status = await this.updateStatus(ds, nodes, byNode, hash);
    if (failure) throw failure;
    if (revision) await this.cleanupHistory(ds, history, revision, byNode);
    return recheck(ds, status, retryAfterMs);
  }

  /** podsShouldBeOnNode for every node, plus unbound pods meant for nodes that are gone. */
  private manage(ds: DaemonSet, key: string, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): Plan {
    const plan: Plan = { create: [], remove: [] };
    for (const n of nodes) this.planNode(ds, key, n, byNode.get(n.metadata?.name ?? '') ?? [], plan, hash);
    const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    for (const [node, pods] of byNode) if (!known.has(node)) plan.remove.push(...pods.filter((p) => !p.spec?.nodeName && !isDeleting(p)));
    return plan;
  }

  private planNode(ds: DaemonSet, key: string, n: Node, pods: Pod[], plan: Plan, hash: string): void {
    const name = n.metadata?.name ?? '';
    const { shouldRun, shouldContinueRunning } = placement(ds, n);
    if (shouldRun && !pods.length) {
      plan.create.push(name);
    } else if (shouldContinueRunning) {
      const running = pods.filter((p) => !isDeleting(p) && p.status?.phase !== 'Failed');
      const failed = pods.filter((p) => !isDeleting(p) && p.status?.phase === 'Failed');
      if (failed.length) {
        const wait = this.failedPodWait(`${key}/${name}`);
        if (wait > 0) plan.retryAfterMs = Math.min(plan.retryAfterMs ?? wait, wait);
        else plan.remove.push(...failed);
      }
      plan.remove.push(...(maxSurge(ds, 1) > 0 ? surplusWithSurge(running, hash) : running.slice(1))); // more than one: all but the oldest go
    } else {
      plan.remove.push(...pods.filter((p) => !isDeleting(p)));
    }
  }

  /** ms until a failed pod on this node may be replaced again; 0 starts the next backoff period now. */
  private failedPodWait(nodeKey: string): number {
    const now = Date.now();
    const b = this.failedBackoff.get(nodeKey);
    if (b && now < b.until) return b.until - now;
    const delayMs = b ? Math.min(b.delayMs * 2, FAILED_BACKOFF_MAX_MS) : FAILED_BACKOFF_MS;
    this.failedBackoff.set(nodeKey, { delayMs, until: now + delayMs });
    return 0;
  }

  /**
   * syncNodes: creates (in slow-start batches: a create that keeps failing does not flood the API) and deletes under
   * expectations, with events; the first failure is returned. Creates that failed or were never tried are observed
   * at once, as they will never be seen.
   */
  private async syncNodes(ds: DaemonSet, key: string, plan: Plan, hash: string): Promise<Error | undefined> {
    if (!plan.create.length && !plan.remove.length) return undefined;
    this.exp.expect(key, plan.create.length, plan.remove.length);
    const create = async (i: number): Promise<void> => { await this.pods.create(ds as KObject, daemonPodFor(ds, plan.create[i], hash)); };
    const { attempted, failures } = await slowStartBatch(plan.create.length, create);
    for (let i = 0; i < failures.length + (plan.create.length - attempted); i++) this.exp.observedAdd(key);
    let failure = failures.length ? asError(failures[0]) : undefined;
    for (const p of plan.remove) {
      try { await this.pods.delete(ds as KObject, p, this.exp, key); } catch (e) { failure ??= asError(e); }
    }
    return failure;
  }

  /** cleanupHistory: revisions no pod runs, beyond revisionHistoryLimit, oldest first. */
  private async cleanupHistory(ds: DaemonSet, history: ControllerRevision[], current: ControllerRevision, byNode: Map<string, Pod[]>): Promise<void> {
    const hashes = new Set([...byNode.values()].flat().map((p) => p.metadata?.labels?.[REVISION_HASH_LABEL]));
    const live = new Set([current, ...history].filter((r) => hashes.has(r.metadata?.labels?.[REVISION_HASH_LABEL])).map((r) => r.metadata?.name ?? ''));
    live.add(current.metadata?.name ?? '');
    await truncateHistory(this.ctx, history.filter((r) => r.metadata?.name !== current.metadata?.name), live, ds.spec?.revisionHistoryLimit ?? 10);
  }

  private async updateStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): Promise<DaemonSetStatus> {
    const status = daemonSetStatus(ds, nodes, byNode, hash);
    if (sameDaemonSetStatus(ds.status, status)) return status;
    const body = { status: { ...status, numberAvailable: status.numberAvailable ?? null, numberUnavailable: status.numberUnavailable ?? null } };
    await ignoreNotFound(this.ctx.client.patch(R.daemonsets, ds.metadata!.name!, body, 'merge', { namespace: ds.metadata!.namespace, subresource: 'status' }));
    return status;
  }
}

/**
 * With surge a node may run an old and a new pod: the old one stays only while it is ready and the new
 * one is not; any further pods go (and an old pod beside a new one when neither is ready).
 */
function surplusWithSurge(running: Pod[], hash: string): Pod[] {
  const isNew = (p: Pod) => p.metadata?.labels?.[REVISION_HASH_LABEL] === hash;
  const oldestNew = running.find(isNew);
  const oldestOld = running.find((p) => !isNew(p));
  const extra = running.filter((p) => p !== oldestNew && p !== oldestOld);
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodReady(oldestNew))) extra.push(oldestOld);
  return extra;
}

/** Ready pods become available minReadySeconds later; failed pods wait out their backoff. */
function recheck(ds: DaemonSet, s: DaemonSetStatus, retryAfterMs: number | undefined): ReconcileResult | undefined {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const waits = [retryAfterMs, minReady && s.numberReady !== (s.numberAvailable ?? 0) ? minReady * 1000 : undefined].filter((x): x is number => !!x);
  return waits.length ? { requeueAfter: Math.min(...waits) } : undefined;
}
