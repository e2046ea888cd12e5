// The garbage collector's graph of ownerReferences over the informers' objects (graph_builder.go):
// which object a uid is, and which objects name a uid as an owner. Informer events keep it current
// and say what to look at: dependents whose owners are gone or going, owners being deleted in the
// foreground or orphaning their dependents. Which resources it watches is gc-monitors.ts's choice:
// every one that can be listed, watched and deleted, as Kubernetes' monitors.
import type { KObject } from '../api/types';
import type { Informer } from '../client/cache/informer';
import { keyOf } from '../client/refs';
import type { ResourceRef } from '../client/types';

export interface GraphNode {
  ref: ResourceRef;
  key: string;
}

/** Where the graph sends work: a dependent to consider deleting, an owner whose deletion waits on its dependents. */
export interface GraphQueues {
  attemptToDelete(uid: string): void;
  processOwner(uid: string): void;
}

interface Monitor {
  ref: ResourceRef;
  informer: Informer<KObject>;
  off: () => void;
}

const uidOf = (o: KObject) => o.metadata?.uid ?? '';
export const monitorId = (r: ResourceRef): string => `${r.group}/${r.plural}`;

export class OwnerGraph {
  private readonly byUid = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>(); // owner uid → dependent uids
  private readonly monitors = new Map<string, Monitor>(); // by group/plural

  constructor(private readonly queues: GraphQueues) {}

  node(uid: string): GraphNode | undefined {
    return this.byUid.get(uid);
  }

  /** The object with this uid, as the informers have it now. */
  object(uid: string): KObject | undefined {
    const n = this.byUid.get(uid);
    return n ? this.monitors.get(monitorId(n.ref))?.informer.get(n.key) : undefined;
  }

  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  /** The resources watched now, by group/plural. */
  monitored(): string[] {
    return [...this.monitors.keys()];
  }

  /** The resource (in the version watched) of a group/plural watched now. */
  monitoredRef(id: string): ResourceRef | undefined {
    return this.monitors.get(id)?.ref;
  }

  /** Watches a resource's objects (its informer's current ones at once, if it has listed). */
  monitor(ref: ResourceRef, informer: Informer<KObject>): void {
    if (this.monitors.has(monitorId(ref))) return;
    const m: Monitor = { ref, informer, off: () => undefined };
    this.monitors.set(monitorId(ref), m);
    m.off = informer.addHandler({
      add: (o) => { this.index(ref, o); this.changed(o); },
      update: (old, o) => { this.unindex(old); this.index(ref, o); this.changed(o); },
      delete: (o) => { this.unindex(o); this.removed(o); },
    });
  }

  /**
   * Stops watching a resource no longer served (a deleted definition's): its objects leave the graph as if
   * deleted, so that what they owned is looked at again.
   */
  unmonitor(id: string): ResourceRef | undefined {
    const m = this.monitors.get(id);
    if (!m) return undefined;
    m.off();
    this.monitors.delete(id);
    for (const o of m.informer.values()) {
      if (this.byUid.get(uidOf(o))?.ref !== m.ref) continue;
      this.unindex(o);
      this.removed(o);
    }
    return m.ref;
  }

  /** Stops watching every resource. */
  close(): void {
    for (const m of this.monitors.values()) m.off();
    this.monitors.clear();
  }

  private index(ref: ResourceRef, o: KObject): void {
    this.byUid.set(uidOf(o), { ref, key: keyOf(o) });
    for (const r of o.metadata?.ownerReferences ?? []) {
      let s = this.dependents.get(r.uid);
      if (!s) this.dependents.set(r.uid, (s = new Set()));
      s.add(uidOf(o));
    }
  }

  private unindex(o: KObject): void {
    this.byUid.delete(uidOf(o));
    for (const ref of o.metadata?.ownerReferences ?? []) {
      const s = this.dependents.get(ref.uid);
      s?.delete(uidOf(o));
      if (s && !s.size) this.dependents.delete(ref.uid);
    }
  }

  private changed(o: KObject): void {
    const q = this.queues;
    const uid = uidOf(o);
    const ownerGoing = (ref: { uid: string }) => { const owner = this.object(ref.uid); return !owner || !!owner.metadata?.deletionTimestamp; };
    if ((o.metadata?.ownerReferences ?? []).some(ownerGoing)) q.attemptToDelete(uid);
    if (!o.metadata?.deletionTimestamp) return;
    const f = o.metadata.finalizers ?? [];
    if (f.includes('orphan') || f.includes('foregroundDeletion')) q.processOwner(uid);
    for (const d of this.dependentsOf(uid)) q.attemptToDelete(d);
  }

  private removed(o: KObject): void {
    const q = this.queues;
    for (const d of this.dependentsOf(uidOf(o))) q.attemptToDelete(d);
    // An owner waiting for its dependents may be done now.
    for (const ref of o.metadata?.ownerReferences ?? []) if (this.byUid.has(ref.uid)) q.processOwner(ref.uid);
  }
}
