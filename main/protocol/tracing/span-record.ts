// A finished span as the journey keeps and ships it (the agent's spans travel to the control plane as
// JSON): IDs as hex, times as epoch milliseconds, the component from the instrumentation scope.
import { SpanStatusCode, type AttributeValue, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export type SpanValue = string | number | boolean | string[] | number[] | boolean[];

export interface SpanEventRecord { name: string; time: number; attributes: Record<string, SpanValue> }

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** The component: the tracer's name without its `flotilla/` prefix. */
  component: string;
  start: number;
  end: number;
  attributes: Record<string, SpanValue>;
  events: SpanEventRecord[];
  error?: string;
}

export function hrMs(t: HrTime): number {
  return t[0] * 1000 + t[1] / 1e6;
}

function plain(attrs: Record<string, AttributeValue | undefined>): Record<string, SpanValue> {
  const out: Record<string, SpanValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? (v.filter((x) => x !== null && x !== undefined) as SpanValue) : v;
  }
  return out;
}

export function toSpanRecord(s: ReadableSpan): SpanRecord {
  const ctx = s.spanContext();
  const scope = s.instrumentationScope.name;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(s.parentSpanContext ? { parentSpanId: s.parentSpanContext.spanId } : {}),
    name: s.name,
    component: scope.startsWith('flotilla/') ? scope.slice('flotilla/'.length) : scope,
    start: hrMs(s.startTime),
    end: hrMs(s.endTime),
    attributes: plain(s.attributes),
    events: s.events.map((e) => ({ name: e.name, time: hrMs(e.time), attributes: plain(e.attributes ?? {}) })),
    ...(s.status.code === SpanStatusCode.ERROR ? { error: s.status.message ?? 'error' } : {}),
  };
}

/** Checks a JSON body of span records (the agent's answer) and returns them; throws on anything else. */
export function parseSpanRecords(body: unknown): SpanRecord[] {
  if (!Array.isArray(body)) throw new Error('span records: not a list');
  for (const r of body as unknown[]) {
    const o = r as Partial<SpanRecord> | null;
    if (!o || typeof o.name !== 'string' || typeof o.spanId !== 'string' || typeof o.start !== 'number' || typeof o.end !== 'number') {
      throw new Error('span records: an entry is not a span');
    }
  }
  return body as SpanRecord[];
}
