// How many pods a PodDisruptionBudget expects and how many must be healthy (getExpectedPodCount):
// minAvailable as a number counts the matching pods; a percentage or maxUnavailable counts the
// replicas their controllers want (getExpectedScale: a ReplicaSet's Deployment, else the
// ReplicaSet, or any other controller's spec.replicas, e.g. a StatefulSet's). Percentages round up.
import type { KObject, Pod, PodDisruptionBudget } from '../api/types';
import { storedResourceOfKind } from '../api/resources';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import type { Informer } from '../client/cache/informer';
import { keyFor } from '../client/refs';
import { controllerRef } from './pod-util';

export interface ExpectedCounts {
  expectedCount: number;
  desiredHealthy: number;
}

/** A pod with no controller a percentage or maxUnavailable can be measured against. */
export class NoControllersError extends Error {
  constructor(readonly pod: string) {
    super(`found no controllers for pod ${JSON.stringify(pod)}`);
  }
}

export interface ScaleSources {
  client: ApiClient;
  replicasets: Informer<KObject>;
  deployments: Informer<KObject>;
}

/** intstr.GetScaledValueFromIntOrPercent with roundUp. */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace(/%$/, ''));
  return Math.ceil((pct * total) / 100);
}

function replicasOf(o: KObject | undefined): number | undefined {
  if (!o) return undefined;
  const r = (o.spec as { replicas?: number } | undefined)?.replicas;
  return r ?? 1;
}

/** The scale of the controller of `pod`, with the controller's uid: Deployment over ReplicaSet, else the owner itself. */
async function controllerScale(src: ScaleSources, pod: Pod): Promise<{ uid: string; replicas: number } | undefined> {
  const ref = controllerRef(pod);
  const ns = pod.metadata?.namespace;
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
    const rs = src.replicasets.get(keyFor(ns, ref.name));
    if (!rs || rs.metadata?.uid !== ref.uid) return undefined;
    const dref = controllerRef(rs);
    if (dref?.kind === 'Deployment') {
      const d = src.deployments.get(keyFor(ns, dref.name));
      return d && d.metadata?.uid === dref.uid ? { uid: dref.uid, replicas: replicasOf(d) ?? 0 } : undefined;
    }
    return { uid: ref.uid, replicas: replicasOf(rs) ?? 0 };
  }
  const r = storedResourceOfKind(ref.kind);
  if (!r || r.kind === 'DaemonSet' || r.kind === 'Job') return undefined;
  try {
    const owner = await src.client.get({ group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced }, ref.name, ns);
    if (owner.metadata?.uid !== ref.uid || !(owner.spec as { replicas?: number } | undefined)) return undefined;
    return { uid: ref.uid, replicas: replicasOf(owner) ?? 0 };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** getExpectedScale: the sum of the replicas of the pods' controllers, each counted once. */
async function expectedScale(src: ScaleSources, pods: Pod[]): Promise<number> {
  const seen = new Map<string, number>();
  for (const p of pods) {
    const s = await controllerScale(src, p);
    if (!s) throw new NoControllersError(p.metadata?.name ?? '');
    seen.set(s.uid, s.replicas);
  }
  let total = 0;
  for (const n of seen.values()) total += n;
  return total;
}

export async function expectedCounts(src: ScaleSources, pdb: PodDisruptionBudget, pods: Pod[]): Promise<ExpectedCounts> {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const expectedCount = await expectedScale(src, pods);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - scaledValue(maxUnavailable, expectedCount)) };
  }
  if (typeof minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: minAvailable };
  if (typeof minAvailable === 'string') {
    const expectedCount = await expectedScale(src, pods);
    return { expectedCount, desiredHealthy: scaledValue(minAvailable, expectedCount) };
  }
  return { expectedCount: 0, desiredHealthy: 0 };
}
