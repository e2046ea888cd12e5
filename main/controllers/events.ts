// The event recorder every control loop uses: core/v1 Events with Kubernetes' reasons. Repeats of
// the same (involvedObject, reason, message) are aggregated: the existing Event's count and
// lastTimestamp are patched instead of creating a new one. Recording never blocks the caller.
import type { Event, KObject, ObjectReference } from '../api/types';
import type { ApiClient } from '../client/types';
import { isNotFound } from '../client/types';
import { R } from './refs';

export type EventType = 'Normal' | 'Warning';

interface Recorded {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

const MAX_REMEMBERED = 4096;
/** Events are best effort and written behind the work they describe (client-go writes them from a background queue). */
const MAX_IN_FLIGHT = 4;
/** Beyond this backlog events are dropped, as client-go's broadcaster does when its queue is full. */
const MAX_PENDING = 20_000;

export class EventRecorder {
  private readonly seen = new Map<string, Recorded>();
  private readonly pending: Array<() => Promise<void>> = [];
  private inFlight = 0;
  private stopped = false;
  private idle: Array<() => void> = [];
  /** Events dropped because the backlog was full. */
  dropped = 0;

  constructor(private readonly client: ApiClient, private readonly component: string, private readonly host?: string) {}

  /** Records an event about `obj` (fire and forget). */
  event(obj: KObject, type: EventType, reason: string, message: string): void {
    if (this.stopped) return;
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    const ref = referenceOf(obj);
    this.pending.push(() => this.write(ref, type, reason, message));
    this.pump();
  }

  /** Resolves when every recorded event has been written (for tests and shutdown). */
  flush(): Promise<void> {
    if (!this.pending.length && !this.inFlight) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length) {
      const job = this.pending.shift()!;
      this.inFlight++;
      void job().catch(() => undefined).finally(() => {
        this.inFlight--;
        this.pump();
        if (!this.inFlight && !this.pending.length) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const key = `${ref.uid ?? ''}|${ref.kind ?? ''}|${ref.namespace ?? ''}|${ref.name ?? ''}|${type}|${reason}|${message}`;
    const prev = this.seen.get(key);
    if (prev) {
      prev.count++;
      try {
        await this.client.patch(R.events, prev.name, { count: prev.count, lastTimestamp: now }, 'merge', { namespace: prev.namespace });
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.seen.delete(key);
      }
    }
    const namespace = ref.namespace || 'default';
    const name = `${ref.name ?? 'unknown'}.${(Date.now() * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const ev: Event = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason, message, type,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      firstTimestamp: now, lastTimestamp: now, count: 1,
      reportingComponent: this.component, reportingInstance: this.host ?? '',
    };
    await this.client.create(R.events, ev as unknown as KObject, { namespace });
    this.seen.set(key, { namespace, name, count: 1, firstTimestamp: now });
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
  }
}

/** The object's reference, without the fields it lacks (a cluster-scoped object has no namespace). */
export function referenceOf(obj: KObject): ObjectReference {
  const m = obj.metadata ?? {};
  const ref: ObjectReference = {
    kind: obj.kind, apiVersion: obj.apiVersion, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
  };
  for (const k of Object.keys(ref) as Array<keyof ObjectReference>) if (!ref[k]) delete ref[k];
  return ref;
}
