// The journeys kept in memory: a span processor that keeps each finished span of a pod's trace (those
// with a k8s.pod.uid attribute) under its pod, at most MAX_SPANS a pod, for the pods touched last: at most
// MAX_PODS of them and at most MAX_WEIGHT spans and span events in all (a scheduling span carries an event per
// node, so with many nodes a few hundred journeys weigh more than thousands on a small cluster). The pod whose
// journey was touched longest ago goes first.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { POD_UID } from './pod-trace';
import { toSpanRecord, type SpanRecord } from './span-record';

const MAX_PODS = 5000;
const MAX_SPANS = 400;
/** ≈ 150 bytes a span or event: ≈ 15 MB in all. */
const MAX_WEIGHT = 100_000;

const weightOf = (r: SpanRecord): number => 1 + r.events.length;

export interface PodSpanBufferLimits { maxPods?: number; maxSpans?: number; maxWeight?: number }

export class PodSpanBuffer implements SpanProcessor {
  /** Insertion-ordered: the first key is the pod whose journey was touched longest ago. */
  private readonly pods = new Map<string, { spans: SpanRecord[]; weight: number }>();
  private total = 0;
  private readonly maxPods: number;
  private readonly maxSpans: number;
  private readonly maxWeight: number;

  constructor(limits: PodSpanBufferLimits = {}) {
    this.maxPods = limits.maxPods ?? MAX_PODS;
    this.maxSpans = limits.maxSpans ?? MAX_SPANS;
    this.maxWeight = limits.maxWeight ?? MAX_WEIGHT;
  }

  onStart(_span: Span, _parent: Context): void { /* spans are kept when they end */ }

  onEnd(span: ReadableSpan): void {
    const uid = span.attributes[POD_UID];
    if (typeof uid !== 'string') return;
    let journey = this.pods.get(uid);
    if (journey) this.pods.delete(uid);
    else journey = { spans: [], weight: 0 };
    this.pods.set(uid, journey);
    if (journey.spans.length < this.maxSpans) {
      const r = toSpanRecord(span);
      const w = weightOf(r);
      journey.spans.push(r);
      journey.weight += w;
      this.total += w;
    }
    // The pod just touched stays, whatever it weighs.
    while (this.pods.size > 1 && (this.pods.size > this.maxPods || this.total > this.maxWeight)) {
      const [oldest, j] = this.pods.entries().next().value as [string, { weight: number }];
      this.pods.delete(oldest);
      this.total -= j.weight;
    }
  }

  /** The pod's spans so far, in the order they ended. */
  spans(uid: string): SpanRecord[] {
    return [...(this.pods.get(uid)?.spans ?? [])];
  }

  /** How many pods' journeys, and spans plus span events in all, are kept. */
  get size(): { pods: number; weight: number } {
    return { pods: this.pods.size, weight: this.total };
  }

  forceFlush(): Promise<void> { return Promise.resolve(); }

  shutdown(): Promise<void> {
    this.pods.clear();
    this.total = 0;
    return Promise.resolve();
  }
}
