// The garbage collector: a graph of ownerReferences over the informers' objects.
// - Background: a dependent whose owners are all gone is deleted.
// - Foreground: an owner with the foregroundDeletion finalizer has its dependents deleted (in the
//   foreground themselves); the finalizer is removed once no blocking dependent remains.
// - Orphan: an owner with the orphan finalizer has its ownerReference removed from every
//   dependent, then the finalizer removed.
import type { KObject, OwnerReference } from '../api/types';
import { resourceForKind } from '../api/resources';
import type { ResourceRef } from '../client/types';
import { isConflict, isNotFound } from '../client/types';
import type { Controller, ControllerContext } from './controller';
import type { Informer } from '../client/cache/informer';
import type { ResourceName } from '../client/refs';
import { R, keyOf } from '../client/refs';
import { WorkQueue, runWorkers } from '../client/workqueue';

export const GC_RESOURCES: ResourceName[] = ['pods', 'replicasets', 'deployments', 'daemonsets', 'endpointslices', 'endpoints', 'services', 'configmaps', 'secrets', 'leases', 'nodes'];

interface Node {
  res: ResourceName;
  key: string;
}

export function newGarbageCollector(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const infs = new Map<ResourceName, Informer<KObject>>(GC_RESOURCES.map((r) => [r, informers.informer(r)]));
  const byUid = new Map<string, Node>();
  const dependents = new Map<string, Set<string>>(); // owner uid → dependent uids
  const deleteQueue = new WorkQueue<string>(); // dependent uid
  const ownerQueue = new WorkQueue<string>(); // owner uid

  const objOf = (uid: string): KObject | undefined => {
    const n = byUid.get(uid);
    return n ? infs.get(n.res)!.get(n.key) : undefined;
  };

  function index(res: ResourceName, o: KObject): void {
    const uid = o.metadata?.uid ?? '';
    byUid.set(uid, { res, key: keyOf(o) });
    for (const ref of o.metadata?.ownerReferences ?? []) {
      let s = dependents.get(ref.uid);
      if (!s) dependents.set(ref.uid, (s = new Set()));
      s.add(uid);
    }
  }

  function unindex(o: KObject): void {
    const uid = o.metadata?.uid ?? '';
    byUid.delete(uid);
    for (const ref of o.metadata?.ownerReferences ?? []) {
      const s = dependents.get(ref.uid);
      s?.delete(uid);
      if (s && !s.size) dependents.delete(ref.uid);
    }
  }

  function check(o: KObject): void {
    const uid = o.metadata?.uid ?? '';
    const refs = o.metadata?.ownerReferences ?? [];
    if (refs.some((r) => { const owner = objOf(r.uid); return !owner || owner.metadata?.deletionTimestamp; })) deleteQueue.add(uid);
    const f = o.metadata?.finalizers ?? [];
    if (o.metadata?.deletionTimestamp && (f.includes('orphan') || f.includes('foregroundDeletion'))) ownerQueue.add(uid);
    if (o.metadata?.deletionTimestamp && dependents.has(uid)) for (const d of dependents.get(uid)!) deleteQueue.add(d);
  }

  function register(): () => void {
    const offs = [...infs].map(([res, inf]) => inf.addHandler({
      add: (o) => { index(res, o); check(o); },
      update: (old, o) => {
        if (old.metadata?.ownerReferences !== o.metadata?.ownerReferences) unindex(old);
        index(res, o);
        check(o);
      },
      delete: (o) => {
        unindex(o);
        const uid = o.metadata?.uid ?? '';
        for (const d of dependents.get(uid) ?? []) deleteQueue.add(d);
        // An owner waiting for its dependents may be done now.
        for (const ref of o.metadata?.ownerReferences ?? []) if (byUid.has(ref.uid)) ownerQueue.add(ref.uid);
      },
    }));
    return () => offs.forEach((f) => f());
  }

  /** Whether the owner exists: the cache, then the API (the cache may lag behind a new owner). */
  async function ownerState(dep: KObject, ref: OwnerReference): Promise<KObject | undefined> {
    const cached = objOf(ref.uid);
    if (cached) return cached;
    const info = resourceForKind(ref.apiVersion, ref.kind);
    if (!info) return undefined;
    try {
      const o = await client.get(info as ResourceRef, ref.name, info.namespaced ? dep.metadata?.namespace : undefined);
      return o.metadata?.uid === ref.uid ? o : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function attemptToDelete(uid: string): Promise<void> {
    const n = byUid.get(uid);
    const dep = objOf(uid);
    if (!n || !dep || dep.metadata?.deletionTimestamp) return;
    const refs = dep.metadata?.ownerReferences ?? [];
    if (!refs.length) return;
    let solid = 0;
    let waiting = 0;
    for (const ref of refs) {
      const owner = await ownerState(dep, ref);
      if (!owner) continue;
      const f = owner.metadata?.finalizers ?? [];
      // An owner being deleted in the foreground takes its dependents along; any other existing
      // owner (including one orphaning its dependents) keeps them.
      if (owner.metadata?.deletionTimestamp && f.includes('foregroundDeletion')) waiting++;
      else solid++;
    }
    if (solid) return;
    try {
      await client.delete(R[n.res], dep.metadata!.name!, {
        namespace: dep.metadata?.namespace, preconditions: { uid },
        propagationPolicy: waiting ? 'Foreground' : 'Background',
      });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }

  async function removeFinalizer(n: Node, o: KObject, finalizer: string): Promise<void> {
    const rest = (o.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    await client.patch(R[n.res], o.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null, resourceVersion: o.metadata?.resourceVersion } }, 'merge', { namespace: o.metadata?.namespace });
  }

  async function processOwner(uid: string): Promise<void> {
    const n = byUid.get(uid);
    const owner = objOf(uid);
    if (!n || !owner?.metadata?.deletionTimestamp) return;
    const f = owner.metadata.finalizers ?? [];
    const deps = [...(dependents.get(uid) ?? [])];
    if (f.includes('orphan')) {
      for (const d of deps) {
        const dn = byUid.get(d);
        const dep = objOf(d);
        if (!dn || !dep) continue;
        const refs = (dep.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
        try {
          await client.patch(R[dn.res], dep.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } }, 'merge', { namespace: dep.metadata?.namespace });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      await removeFinalizer(n, owner, 'orphan');
      return;
    }
    if (f.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const d of deps) {
        const dep = objOf(d);
        if (!dep) continue;
        const ref = dep.metadata?.ownerReferences?.find((r) => r.uid === uid);
        if (ref?.blockOwnerDeletion) blocking++;
        if (!dep.metadata?.deletionTimestamp) deleteQueue.add(d);
      }
      if (blocking) return; // re-queued when dependents go
      await removeFinalizer(n, owner, 'foregroundDeletion');
    }
  }

  function run(): () => void {
    const a = runWorkers(deleteQueue, 4, attemptToDelete, (k, e) => ctx.log(`garbage-collector ${k}: ${e instanceof Error ? e.message : String(e)}`));
    const b = runWorkers(ownerQueue, 2, processOwner, (k, e) => ctx.log(`garbage-collector owner ${k}: ${e instanceof Error ? e.message : String(e)}`));
    return () => { a(); b(); };
  }

  return { name: 'garbage-collector', register, run };
}
