// Which assigned-pod events can make a parked pod schedulable, by the Filter plugins that rejected it (kube-scheduler's
// EventsToRegister: a plugin names the cluster events that may change its verdict; a pod rejected only by plugins
// that did not register an event stays parked when it happens). A pod bound to a node or relabelled can change
// InterPodAffinity's and PodTopologySpread's counts; one going away also frees resources (NodeResourcesFit) and host
// ports (NodePorts). Node-only plugins (NodeName, NodeUnschedulable, NodeAffinity, TaintToleration) wait for node
// events. A plugin not in the table (or a rejection that named none) is moved on every event.
import type { QueueSkip } from './queue';

/** An event of a pod on a node: bound (or added bound), updated (labels, terminating), deleted. */
export type AssignedPodEvent = 'add' | 'update' | 'delete';

const AFFINITY_AND_SPREAD: readonly AssignedPodEvent[] = ['add', 'update', 'delete'];

const REGISTERED: Readonly<Record<string, readonly AssignedPodEvent[]>> = {
  NodeName: [],
  NodeUnschedulable: [],
  NodeAffinity: [],
  TaintToleration: [],
  // A terminating pod keeps its resources and ports until it is deleted.
  NodeResourcesFit: ['delete'],
  NodePorts: ['delete'],
  InterPodAffinity: AFFINITY_AND_SPREAD,
  PodTopologySpread: AFFINITY_AND_SPREAD,
};

/** True when no plugin that rejected the pod registered the event: the pod stays parked. */
export function skipsAssignedPodEvent(event: AssignedPodEvent, rejectedBy: ReadonlySet<string>): boolean {
  if (!rejectedBy.size) return false;
  for (const plugin of rejectedBy) {
    const events = REGISTERED[plugin];
    if (!events || events.includes(event)) return false;
  }
  return true;
}

/** The queueing hint of an assigned-pod event, for SchedulingQueue.moveAllToActiveOrBackoff. */
export function assignedPodEventSkips(event: AssignedPodEvent): QueueSkip {
  return (_info, rejectedBy) => skipsAssignedPodEvent(event, rejectedBy);
}
