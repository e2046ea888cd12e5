// Pods: the server sets the status a new pod starts with (Pending, its QoS class, SchedulingGated), writes through
// pods/ephemeralcontainers change only the ephemeral containers, and a pod a node runs is deleted
// gracefully: it is marked, the node stops it, then confirms with a delete of grace period 0.
import { admitNodePodCreate, admitNodePodRemoval, admitNodePodStatus } from '../admission/node-restriction-pods';
import type { KObject, Pod, StoredObject } from '../../../api/types';
import type { Strategy } from '../strategy';
import { admitPodServiceAccount } from '../admission/service-account';
import { admitPodPriority } from '../admission/priority';
import { admitPodLimits } from '../admission/limit-ranger';
import { admitPodRuntimeClass } from '../admission/runtime-class';
import { qosClass } from '../../../api/pod-qos';

/** Pods' terminationGracePeriodSeconds default. */
const DEFAULT_GRACE_SECONDS = 30;

/** `current` with the ephemeral containers of `next` (Kubernetes' dropNonEphemeralContainerUpdates). */
function withEphemeralContainersOf(current: StoredObject, next: KObject): KObject {
  const spec: Record<string, unknown> = { ...(current.spec as Record<string, unknown> | undefined) };
  const ephemeral = (next.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
  if (ephemeral === undefined || ephemeral === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = ephemeral;
  return { ...current, metadata: { ...current.metadata }, spec };
}

/**
 * The requested period, else the pod's own; 0 for a pod that is not scheduled or has finished. A pod
 * bound to a node is marked even with 0, so that its node confirms; only an explicit grace period 0
 * (the node's confirmation, or --force) deletes it at once.
 */
function gracefulDeletion(obj: StoredObject, requested: number | undefined): number | undefined {
  const pod = obj as Pod;
  const nodeName = pod.spec?.nodeName;
  const phase = pod.status?.phase;
  const grace = !nodeName || phase === 'Succeeded' || phase === 'Failed'
    ? 0
    : requested ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  if (grace > 0) return grace;
  return nodeName && requested === undefined ? 0 : undefined;
}

/** pods/binding: `current` with the node and the status (its PodScheduled condition) of `next`, as the binding's storage writes them. */
function withBindingOf(current: StoredObject, next: KObject): KObject {
  const spec = { ...(current.spec as Record<string, unknown> | undefined), nodeName: (next.spec as { nodeName?: string } | undefined)?.nodeName };
  return { ...current, metadata: { ...current.metadata }, spec, status: next.status };
}

export const podStrategy: Strategy = {
  subresourceUpdates: { ephemeralcontainers: withEphemeralContainersOf, binding: withBindingOf },
  // NodeRestriction: a node creates only its mirror pods, writes the status and deletes only the pods bound to it.
  checkRequester: (obj, old, requester) => { if (!old) admitNodePodCreate(requester.user, obj as Pod); },
  checkSubresourceRequester: (sub, next, old, requester) => { if (sub === 'status') admitNodePodStatus(requester.user, next as Pod, old as Pod); },
  checkDeleteRequester: (obj, requester) => admitNodePodRemoval(requester.user, obj as Pod, 'delete'),
  admitCreate: async (obj, a) => {
    admitPodLimits(a.reader, obj, a.namespace, a.displayName);
    admitPodPriority(a.reader, obj, a.displayName);
    admitPodRuntimeClass(a.reader, obj, a.displayName);
    await admitPodServiceAccount(a.reader, obj, a.namespace, a.displayName);
  },
  beforeCreate(obj) {
    const pod = obj as Pod;
    // A pod with scheduling gates says so from the start (applySchedulingGatedCondition); the scheduler leaves it alone until they are gone.
    const gated = pod.spec?.schedulingGates?.length
      ? { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }] }
      : {};
    (obj as { status?: unknown }).status = { phase: 'Pending', qosClass: qosClass(pod), ...gated };
  },
  gracefulDeletion,
};
