// The journeys kept in memory, fed by OpenTelemetry's own SDK: a pod's spans in the order they ended, the pods
// touched longest ago dropped past the pod limit or the weight limit (spans plus their events: a scheduling span
// carries an event per node), the pod just touched kept whatever it weighs, and spans without a pod ignored.
import { describe, expect, it } from 'vitest';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PodSpanBuffer, type PodSpanBufferLimits } from '../../../main/protocol/tracing/pod-span-buffer';
import { POD_UID } from '../../../main/protocol/tracing/pod-trace';

function setup(limits: PodSpanBufferLimits): { buffer: PodSpanBuffer; span: (uid: string | undefined, name: string, events?: number) => void } {
  const buffer = new PodSpanBuffer(limits);
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('flotilla/test');
  return {
    buffer,
    span: (uid, name, events = 0) => {
      const s = tracer.startSpan(name, { attributes: uid ? { [POD_UID]: uid } : {} });
      for (let i = 0; i < events; i++) s.addEvent('filter', { 'k8s.node.name': `node-${i}` });
      s.end();
    },
  };
}

describe('the pod journeys kept in memory', () => {
  it('keeps each pod\'s spans in the order they ended, at most maxSpans, and ignores spans of no pod', () => {
    const { buffer, span } = setup({ maxSpans: 2 });
    span('a', 'schedule');
    span(undefined, 'list');
    span('a', 'bind');
    span('a', 'start');
    expect(buffer.spans('a').map((s) => s.name)).toEqual(['schedule', 'bind']);
    expect(buffer.size).toEqual({ pods: 1, weight: 2 });
  });

  it('drops the pod touched longest ago past maxPods', () => {
    const { buffer, span } = setup({ maxPods: 2 });
    span('a', 'schedule');
    span('b', 'schedule');
    span('a', 'bind'); // a is touched again: b is now the oldest
    span('c', 'schedule');
    expect(buffer.spans('b')).toEqual([]);
    expect(buffer.spans('a').map((s) => s.name)).toEqual(['schedule', 'bind']);
    expect(buffer.size.pods).toBe(2);
  });

  it('drops the oldest journeys while spans and events weigh over maxWeight, but keeps the pod just touched', () => {
    const { buffer, span } = setup({ maxWeight: 120 });
    span('a', 'schedule', 50); // 51
    span('b', 'schedule', 50); // 102
    span('c', 'schedule', 50); // 153 > 120: a goes
    expect(buffer.spans('a')).toEqual([]);
    expect(buffer.spans('b')).toHaveLength(1);
    expect(buffer.spans('c')[0].events).toHaveLength(50);
    expect(buffer.size).toEqual({ pods: 2, weight: 102 });
    // A journey heavier than the limit alone: every other journey goes, it stays.
    const heavy = setup({ maxWeight: 50 });
    heavy.span('x', 'schedule', 100);
    heavy.span('y', 'schedule', 100);
    expect(heavy.buffer.size).toEqual({ pods: 1, weight: 101 });
    expect(heavy.buffer.spans('y')).toHaveLength(1);
  });
});
