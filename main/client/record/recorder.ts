// The event recorder (client-go's tools/record): core/v1 Events from one source — a controller
// (source.component = its name) or a kubelet (component "kubelet", host = the node's name) — run
// through the correlator (aggregation, counting, spam filter) and written in the background, never
// blocking the caller. Writes to the same Event are kept in order; a patch of an Event that is gone
// creates it again. Best effort, as in Kubernetes: failed writes are reported and dropped.
import type { ApiObject, Event, KObject, ObjectReference } from '../../api/types';
import type { ApiClient } from '../types';
import { isNotFound } from '../types';
import { R } from '../refs';
import type { Correlated } from './correlator';
import { EventCorrelator, eventName, rfc3339 } from './correlator';
import { referenceOf } from './reference';

export type EventType = 'Normal' | 'Warning';

/** Events are written behind the work they describe (client-go writes them from a background goroutine). */
const MAX_IN_FLIGHT = 4;
/** Beyond this backlog events are dropped, as client-go's broadcaster does when its queue is full. */
const MAX_PENDING = 20_000;

export interface EventSource {
  component: string;
  /** The node, for a kubelet. */
  host?: string;
}

export interface RecorderOptions {
  onError?: (err: unknown) => void;
  now?: () => number;
  /**
   * The correlator to run events through (default: one of its own). Recorders of many sources in one process (the
   * hollow nodes' kubelets) share one: its keys name the source, so each source's counting, aggregation and spam
   * filter stay its own, while the process holds one cache of 4096 entries instead of one per source.
   */
  correlator?: EventCorrelator;
}

export class EventRecorder {
  private readonly correlator: EventCorrelator;
  private readonly pending: Correlated[] = [];
  /** The last write of each Event name, so that writes to one Event happen in order. */
  private readonly writes = new Map<string, Promise<void>>();
  private inFlight = 0;
  private stopped = false;
  private idle: Array<() => void> = [];
  /** Events dropped because the backlog was full. */
  dropped = 0;

  constructor(private readonly client: ApiClient, readonly source: EventSource, private readonly o: RecorderOptions = {}) {
    this.correlator = o.correlator ?? new EventCorrelator(o.now);
  }

  /** Records an event about an object, or about a reference (e.g. with a fieldPath into a pod). Fire and forget. */
  event(about: ApiObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (this.stopped) return;
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    const ref = 'metadata' in about ? referenceOf(about) : about;
    const c = this.correlator.correlate(this.makeEvent(ref, type, reason, message));
    if (c.skip) return;
    this.pending.push(c);
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

  private makeEvent(ref: ObjectReference, type: EventType, reason: string, message: string): Event {
    const now = (this.o.now ?? Date.now)();
    const ts = rfc3339(now);
    const { component, host } = this.source;
    return {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: eventName(ref.name, now), namespace: ref.namespace || 'default' },
      involvedObject: ref,
      reason, message, type,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: ts, lastTimestamp: ts, count: 1,
      reportingComponent: component, reportingInstance: host ?? '',
    };
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length) {
      const c = this.pending.shift()!;
      const name = c.event.metadata?.name ?? '';
      this.inFlight++;
      const write = (this.writes.get(name) ?? Promise.resolve()).then(() => this.write(c)).catch((e: unknown) => this.o.onError?.(e));
      this.writes.set(name, write);
      void write.finally(() => {
        if (this.writes.get(name) === write) this.writes.delete(name);
        this.inFlight--;
        this.pump();
        if (!this.inFlight && !this.pending.length) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async write(c: Correlated): Promise<void> {
    const ns = c.event.metadata?.namespace;
    let written: Event | undefined;
    if (c.patch) {
      try {
        written = await this.client.patch<Event & KObject>(R.events, c.event.metadata?.name ?? '', c.patch, 'merge', { namespace: ns });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    if (!written) {
      const { resourceVersion: _rv, ...metadata } = c.event.metadata ?? {};
      written = await this.client.create<Event & KObject>(R.events, { ...c.event, metadata }, { namespace: ns });
    }
    this.correlator.updateState(written);
  }
}
