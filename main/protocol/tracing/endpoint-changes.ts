// Which pods a write of endpoints added or removed: the EndpointSlice controller (a slice's endpoints
// before and after its write) and each node's proxier (the endpoints its rules held before and after a
// sync) mark a pod's journey with these. A pod counts as in when it is a ready endpoint.
import type { PodRef } from './pod-trace';

export interface EndpointLike {
  targetRef?: { kind?: string; uid?: string; name?: string; namespace?: string };
  conditions?: { ready?: boolean | null };
}

/** The ready pod endpoints, by UID. */
export function readyPods(endpoints: readonly EndpointLike[] | undefined, into = new Map<string, PodRef>()): Map<string, PodRef> {
  for (const e of endpoints ?? []) {
    const ref = e.targetRef;
    if (ref?.kind !== 'Pod' || !ref.uid || e.conditions?.ready === false) continue;
    into.set(ref.uid, { uid: ref.uid, name: ref.name, namespace: ref.namespace });
  }
  return into;
}

export interface EndpointChanges { added: PodRef[]; removed: PodRef[] }

export function endpointChanges(before: Map<string, PodRef>, after: Map<string, PodRef>): EndpointChanges {
  const added: PodRef[] = [];
  const removed: PodRef[] = [];
  for (const [uid, p] of after) if (!before.has(uid)) added.push(p);
  for (const [uid, p] of before) if (!after.has(uid)) removed.push(p);
  return { added, removed };
}
