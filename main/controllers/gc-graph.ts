// The garbage collector's graph of ownerReferences over the informers' objects (graph_builder.go):
// which object a uid is, and which objects name a uid as an owner. Informer events keep it current
// and say what to look at: dependents whose owners are gone or going, owners being deleted in the
// foreground or orphaning their dependents.
import type { KObject } from '../api/types';
import type { Informer } from '../client/cache/informer';
import type { ResourceName } from '../client/refs';
import { keyOf } from '../client/refs';

export const GC_RESOURCES: ResourceName[] = ['pods', 'replicasets', 'replicationcontrollers', 'deployments', 'daemonsets', 'endpointslices', 'endpoints', 'services', 'configmaps', 'secrets', 'leases', 'nodes'];

export interface GraphNode {
  res: ResourceName;
  key: string;
}

/** Where the graph sends work: a dependent to consider deleting, an owner whose deletion waits on its dependents. */
export interface GraphQueues {
  attemptToDelete(uid: string): void;
  processOwner(uid: string): void;
}

const uidOf = (o: KObject) => o.metadata?.uid ?? '';

export class OwnerGraph {
  private readonly byUid = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>(); // owner uid → dependent uids

  constructor(readonly informers: Map<ResourceName, Informer<KObject>>) {}

  node(uid: string): GraphNode | undefined {
    return this.byUid.get(uid);
  }

  /** The object with this uid, as the informers have it now. */
  object(uid: string): KObject | undefined {
    const n = this.byUid.get(uid);
    return n ? this.informers.get(n.res)!.get(n.key) : undefined;
  }

  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  private index(res: ResourceName, o: KObject): void {
    this.byUid.set(uidOf(o), { res, key: keyOf(o) });
    for (const ref of o.metadata?.ownerReferences ?? []) {
      let s = this.dependents.get(ref.uid);
      if (!s) this.dependents.set(ref.uid, (s = new Set()));
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

  /** Keeps the graph current from every informer and queues what each change calls for; returns a disposer. */
  register(queues: GraphQueues): () => void {
    const offs = [...this.informers].map(([res, inf]) => inf.addHandler({
      add: (o) => { this.index(res, o); this.changed(o, queues); },
      update: (old, o) => { this.unindex(old); this.index(res, o); this.changed(o, queues); },
      delete: (o) => { this.unindex(o); this.removed(o, queues); },
    }));
    return () => offs.forEach((off) => off());
  }

  private changed(o: KObject, q: GraphQueues): void {
    const uid = uidOf(o);
    const ownerGoing = (ref: { uid: string }) => { const owner = this.object(ref.uid); return !owner || !!owner.metadata?.deletionTimestamp; };
    if ((o.metadata?.ownerReferences ?? []).some(ownerGoing)) q.attemptToDelete(uid);
    if (!o.metadata?.deletionTimestamp) return;
    const f = o.metadata.finalizers ?? [];
    if (f.includes('orphan') || f.includes('foregroundDeletion')) q.processOwner(uid);
    for (const d of this.dependentsOf(uid)) q.attemptToDelete(d);
  }

  private removed(o: KObject, q: GraphQueues): void {
    for (const d of this.dependentsOf(uidOf(o))) q.attemptToDelete(d);
    // An owner waiting for its dependents may be done now.
    for (const ref of o.metadata?.ownerReferences ?? []) if (this.byUid.has(ref.uid)) q.processOwner(ref.uid);
  }
}
