// Turns the pod runtime's events (Pulled, Created, Started, Killing, BackOff, Unhealthy…) into core/v1
// Events from source kubelet/<node>, as `kubectl describe pod` shows them. A repeat of the same
// event for the same object bumps count and lastTimestamp ("x5 over 2m") instead of adding another
// Event, as the kubelet's recorder does. Best effort: failures are dropped.
import { randomBytes } from 'node:crypto';
import type { Event, Pod } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import type { PodEvent } from '../pods/events';
import { EVENTS } from '../node/resources';
import { rfc3339 } from '../node/time';

interface Seen { name: string; namespace: string; count: number; at: number }

/** How long a repeat is folded into the earlier Event, and how many distinct events are remembered. */
const AGGREGATE_MS = 10 * 60_000;
const MAX_REMEMBERED = 2000;

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly client: ApiClient, private readonly nodeName: string, private readonly onError?: (err: unknown) => void) {}

  record(pod: Pod, ev: PodEvent): void {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const now = Date.now();
    const key = JSON.stringify([pod.metadata?.uid, ev.type, ev.reason, ev.message, ev.fieldPath ?? '']);
    const prev = this.seen.get(key);
    if (prev && now - prev.at < AGGREGATE_MS) {
      prev.count++;
      prev.at = now;
      this.client.patch<Event>(EVENTS, prev.name, { count: prev.count, lastTimestamp: rfc3339(now) }, 'merge', { namespace: prev.namespace })
        .catch((err: unknown) => { this.seen.delete(key); this.onError?.(err); });
      return;
    }
    const eventName = `${name}.${now.toString(16)}${randomBytes(3).toString('hex')}`;
    this.remember(key, { name: eventName, namespace, count: 1, at: now });
    const event: Event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: eventName, namespace },
      involvedObject: {
        apiVersion: 'v1', kind: 'Pod', name, namespace, uid: pod.metadata?.uid,
        ...(pod.metadata?.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
        ...(ev.fieldPath ? { fieldPath: ev.fieldPath } : {}),
      },
      reason: ev.reason, message: ev.message, type: ev.type,
      source: { component: 'kubelet', host: this.nodeName },
      firstTimestamp: rfc3339(now), lastTimestamp: rfc3339(now), count: 1,
      reportingComponent: 'kubelet', reportingInstance: this.nodeName,
    };
    this.client.create<Event>(EVENTS, event).catch((err: unknown) => { this.seen.delete(key); this.onError?.(err); });
  }

  /** Forgets a pod's events (it is gone). */
  forget(uid: string): void {
    for (const k of [...this.seen.keys()]) if (k.startsWith(`[${JSON.stringify(uid)},`)) this.seen.delete(k);
  }

  private remember(key: string, s: Seen): void {
    if (this.seen.size >= MAX_REMEMBERED) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, s);
  }
}
