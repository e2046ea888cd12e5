// The pod conditions the agent writes, merged as the kubelet's status manager does (mergePodStatus): the
// conditions the kubelet owns (PodScheduled, PodReadyToStartContainers, Initialized, ContainersReady, Ready) are
// the agent's; every other (DisruptionTarget from an eviction or preemption, a readiness gate's condition from
// its controller) is kept as the API has it. Ready also needs each of spec.readinessGates' conditions True
// (GeneratePodReadyCondition: reason ReadinessGatesNotReady, with the kubelet's message).
import type { Pod, PodCondition, PodStatus } from '../../../main/api/types';

export const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

/** The conditions on `live` that the kubelet does not own. */
export function foreignConditions(live: Pod | undefined): PodCondition[] {
  return (live?.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
}

/** Why the readiness gates keep the pod from Ready (the kubelet's message), or undefined when they all hold. */
function gatesUnready(pod: Pod, conditions: readonly PodCondition[]): string | undefined {
  const messages: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return messages.length ? messages.join(', ') : undefined;
}

/**
 * `status` with `live`'s foreign conditions first and Ready held back by unmet readiness gates. With readiness
 * gates, Ready's lastTransitionTime follows the API's Ready (`now` when it changes), as the gates move it too.
 */
export function withConditionsOf(live: Pod | undefined, pod: Pod, status: PodStatus, now: string): PodStatus {
  const foreign = foreignConditions(live);
  const gated = !!pod.spec?.readinessGates?.length;
  if (!foreign.length && !gated) return status;
  const all = [...foreign, ...(status.conditions ?? [])];
  const unready = gatesUnready(pod, all);
  const before = live?.status?.conditions?.find((x) => x.type === 'Ready');
  const conditions = all.map((c): PodCondition => {
    if (c.type !== 'Ready' || !gated) return c;
    const ready: PodCondition = c.status === 'True' && unready !== undefined ? { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready } : { ...c };
    ready.lastTransitionTime = before?.status === ready.status ? before.lastTransitionTime : now;
    return ready;
  });
  return { ...status, conditions };
}
