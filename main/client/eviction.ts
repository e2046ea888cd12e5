// Evictions as `kubectl drain` makes them: the pods/eviction subresource, where a 429 means "not
// now" (a PodDisruptionBudget allows no disruption); the message says why, with the budget's cause
// ("The disruption budget web needs 2 healthy pods and has 2 currently"). Used by the node
// manager's drain before a machine goes and by the UI's Drain. Pure.
import type { ApiClient } from './types';
import { ClientError, isNotFound } from './types';

/** What one eviction did: evicted (or the pod was already gone), or refused for now and why. */
export type EvictionOutcome = { evicted: true } | { evicted: false; reason: string };

/** Why an eviction was refused for now (429), with the budget's cause; undefined for any other error. */
export function evictionRefusal(e: unknown): string | undefined {
  if (!(e instanceof ClientError) || e.code !== 429) return undefined;
  const causes = (e.status?.details?.causes ?? []).map((c) => c.message).filter((m): m is string => !!m);
  return causes.length ? `${e.message} (${causes.join('; ')})` : e.message;
}

/** Evicts a pod; a budget's refusal is an outcome, a missing pod counts as evicted, other errors throw. */
export async function tryEvict(client: ApiClient, namespace: string, pod: string): Promise<EvictionOutcome> {
  try {
    await client.evict(namespace, pod);
    return { evicted: true };
  } catch (e) {
    if (isNotFound(e)) return { evicted: true };
    const reason = evictionRefusal(e);
    if (reason === undefined) throw e;
    return { evicted: false, reason };
  }
}
