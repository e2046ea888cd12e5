// The journeys kept in memory: a span processor that keeps each finished span of a pod's trace (those
// with a k8s.pod.uid attribute) under its pod, for the last MAX_PODS pods, at most MAX_SPANS each.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { POD_UID } from './pod-trace';
import { toSpanRecord, type SpanRecord } from './span-record';

const MAX_PODS = 5000;
const MAX_SPANS = 400;

export class PodSpanBuffer implements SpanProcessor {
  /** Insertion-ordered: the first key is the pod whose journey was touched longest ago. */
  private readonly pods = new Map<string, SpanRecord[]>();

  constructor(private readonly maxPods = MAX_PODS, private readonly maxSpans = MAX_SPANS) {}

  onStart(_span: Span, _parent: Context): void { /* spans are kept when they end */ }

  onEnd(span: ReadableSpan): void {
    const uid = span.attributes[POD_UID];
    if (typeof uid !== 'string') return;
    let list = this.pods.get(uid);
    if (list) this.pods.delete(uid);
    else list = [];
    this.pods.set(uid, list);
    if (list.length < this.maxSpans) list.push(toSpanRecord(span));
    if (this.pods.size > this.maxPods) this.pods.delete(this.pods.keys().next().value as string);
  }

  /** The pod's spans so far, in the order they ended. */
  spans(uid: string): SpanRecord[] {
    return [...(this.pods.get(uid) ?? [])];
  }

  forceFlush(): Promise<void> { return Promise.resolve(); }

  shutdown(): Promise<void> {
    this.pods.clear();
    return Promise.resolve();
  }
}
