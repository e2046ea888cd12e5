// Turns the pod runtime's events (Pulled, Created, Started, Killing, BackOff, Unhealthy…) into core/v1
// Events from source kubelet/<node>, as `kubectl describe pod` shows them. Best effort: failures are dropped.
import { randomBytes } from 'node:crypto';
import type { Event, Pod } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import type { PodEvent } from '../pods/events';
import { EVENTS } from '../node/resources';
import { rfc3339 } from '../node/time';

export function recordPodEvent(client: ApiClient, nodeName: string, pod: Pod, ev: PodEvent, onError?: (err: unknown) => void): void {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  const now = Date.now();
  const event: Event = {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${name}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`, namespace },
    involvedObject: {
      apiVersion: 'v1', kind: 'Pod', name, namespace, uid: pod.metadata?.uid,
      ...(pod.metadata?.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
      ...(ev.fieldPath ? { fieldPath: ev.fieldPath } : {}),
    },
    reason: ev.reason, message: ev.message, type: ev.type,
    source: { component: 'kubelet', host: nodeName },
    firstTimestamp: rfc3339(now), lastTimestamp: rfc3339(now), count: 1,
    reportingComponent: 'kubelet', reportingInstance: nodeName,
  };
  client.create<Event>(EVENTS, event).catch((err: unknown) => onError?.(err));
}
