// The garbage collector (garbagecollector.go) over the ownership graph (gc-graph.ts):
// - a dependent whose owners are all gone is deleted (in the foreground when an owner waits for
//   it and it has dependents of its own); references to owners that are gone are removed from a
//   dependent that keeps another owner;
// - an owner with the foregroundDeletion finalizer has its dependents deleted and loses the
//   finalizer once no blocking dependent remains;
// - an owner with the orphan finalizer has its reference removed from every dependent, then the
//   finalizer removed.
import type { KObject, OwnerReference } from '../api/types';
import { resourceForKind } from '../api/resources';
import { newReconciler } from '../client/reconciler';
import type { ResourceRef } from '../client/types';
import { isConflict, isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import { withExtras, together } from './extras';
import type { GraphNode, GraphQueues } from './gc-graph';
import { OwnerGraph } from './gc-graph';
import { MONITOR_RESYNC_MS, syncMonitors } from './gc-monitors';
import { ignoreNotFound } from './ignore-not-found';

export function newGarbageCollector(ctx: ControllerContext): Controller {
  const deleter = newReconciler(ctx, 'garbage-collector', { workers: 4 });
  const owners = newReconciler(ctx, 'garbage-collector owner', { workers: 2 });
  const queues: GraphQueues = { attemptToDelete: (uid) => deleter.queue.add(uid), processOwner: (uid) => owners.queue.add(uid) };
  const graph = new OwnerGraph(queues);
  const gc = new Collector(ctx, graph, queues);
  const c = together('garbage-collector', deleter.complete((uid) => gc.attemptToDelete(uid)), owners.complete((uid) => gc.processOwner(uid)));
  return withExtras(c, { register: () => watchMonitors(ctx, graph) });
}

/** Monitors every deletable resource now, again when a CustomResourceDefinition changes (once its rows are served) and every 30 s. */
function watchMonitors(ctx: ControllerContext, graph: OwnerGraph): () => void {
  const sync = () => syncMonitors(graph, ctx.informers);
  sync();
  let queued: NodeJS.Immediate | undefined;
  const soon = () => { queued ??= setImmediate(() => { queued = undefined; sync(); }); };
  const offDefinitions = ctx.informers.informer('customresourcedefinitions').addHandler({ add: soon, update: soon, delete: soon });
  const timer = setInterval(sync, MONITOR_RESYNC_MS);
  timer.unref?.();
  return () => {
    offDefinitions();
    clearInterval(timer);
    if (queued) clearImmediate(queued);
    graph.close();
  };
}

interface Owners {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  /** Owners being deleted in the foreground: waiting for this dependent. */
  waiting: OwnerReference[];
}

const hasFinalizer = (o: KObject, f: string) => (o.metadata?.finalizers ?? []).includes(f);

class Collector {
  constructor(private readonly ctx: ControllerContext, private readonly graph: OwnerGraph, private readonly queues: GraphQueues) {}

  /** The owner, from the cache or else the API (the cache may lag behind a new owner); undefined when it is gone. */
  private async owner(dep: KObject, ref: OwnerReference): Promise<KObject | undefined> {
    const cached = this.graph.object(ref.uid);
    if (cached) return cached;
    const info = resourceForKind(ref.apiVersion, ref.kind);
    if (!info) return undefined;
    const o = await ignoreNotFound(this.ctx.client.get(info as ResourceRef, ref.name, info.namespaced ? dep.metadata?.namespace : undefined));
    return o?.metadata?.uid === ref.uid ? o : undefined;
  }

  /** classifyReferences */
  private async classify(dep: KObject): Promise<Owners> {
    const out: Owners = { solid: [], dangling: [], waiting: [] };
    for (const ref of dep.metadata?.ownerReferences ?? []) {
      const owner = await this.owner(dep, ref);
      if (!owner) out.dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, 'foregroundDeletion')) out.waiting.push(ref);
      else out.solid.push(ref);
    }
    return out;
  }

  async attemptToDelete(uid: string): Promise<void> {
    const n = this.graph.node(uid);
    const dep = this.graph.object(uid);
    if (!n || !dep || dep.metadata?.deletionTimestamp || !dep.metadata?.ownerReferences?.length) return;
    const owners = await this.classify(dep);
    if (owners.solid.length) return this.dropReferences(n, dep, [...owners.dangling, ...owners.waiting].map((r) => r.uid));
    const policy = owners.waiting.length && this.graph.dependentsOf(uid).length ? 'Foreground'
      : hasFinalizer(dep, 'orphan') ? 'Orphan' : hasFinalizer(dep, 'foregroundDeletion') ? 'Foreground' : 'Background';
    try {
      await this.ctx.client.delete(n.ref, dep.metadata.name!, { namespace: dep.metadata.namespace, preconditions: { uid }, propagationPolicy: policy });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  /** Removes the references to these owners from the dependent (keeping the rest). */
  private async dropReferences(n: GraphNode, dep: KObject, ownerUids: string[]): Promise<void> {
    if (!ownerUids.length) return;
    const rest = (dep.metadata?.ownerReferences ?? []).filter((r) => !ownerUids.includes(r.uid));
    await ignoreNotFound(this.ctx.client.patch(n.ref, dep.metadata!.name!, { metadata: { ownerReferences: rest.length ? rest : null, resourceVersion: dep.metadata?.resourceVersion } }, 'merge', { namespace: dep.metadata?.namespace }));
  }

  async processOwner(uid: string): Promise<void> {
    const n = this.graph.node(uid);
    const owner = this.graph.object(uid);
    if (!n || !owner?.metadata?.deletionTimestamp) return;
    if (hasFinalizer(owner, 'orphan')) await this.orphanDependents(n, owner);
    else if (hasFinalizer(owner, 'foregroundDeletion')) await this.deleteDependents(n, owner);
  }

  /** attemptToOrphan: every dependent loses its reference to the owner, then the owner its finalizer. */
  private async orphanDependents(n: GraphNode, owner: KObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    for (const d of this.graph.dependentsOf(uid)) {
      const dn = this.graph.node(d);
      const dep = this.graph.object(d);
      if (!dn || !dep) continue;
      const refs = (dep.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
      await ignoreNotFound(this.ctx.client.patch(dn.ref, dep.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } }, 'merge', { namespace: dep.metadata?.namespace }));
    }
    await this.removeFinalizer(n, owner, 'orphan');
  }

  /** processDeletingDependentsItem: dependents are deleted; the finalizer goes once no blocking one remains. */
  private async deleteDependents(n: GraphNode, owner: KObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    let blocking = 0;
    for (const d of this.graph.dependentsOf(uid)) {
      const dep = this.graph.object(d);
      if (!dep) continue;
      if (dep.metadata?.ownerReferences?.find((r) => r.uid === uid)?.blockOwnerDeletion) blocking++;
      if (!dep.metadata?.deletionTimestamp) this.queues.attemptToDelete(d);
    }
    if (!blocking) await this.removeFinalizer(n, owner, 'foregroundDeletion'); // otherwise re-queued when dependents go
  }

  private async removeFinalizer(n: GraphNode, o: KObject, finalizer: string): Promise<void> {
    const rest = (o.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    await this.ctx.client.patch(n.ref, o.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null, resourceVersion: o.metadata?.resourceVersion } }, 'merge', { namespace: o.metadata?.namespace });
  }
}
