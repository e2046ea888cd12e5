// Tracing for one process (the control plane's core, or a node's agent): an SDK tracer provider made
// the global one, with the pod journeys' buffer and any further processors (the OTLP exporter's), and
// its stop, which unregisters it (spans are no-ops again) and shuts the processors down. A second start
// in the same process (a test running a core and an agent together) shares the first one's provider.
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PodSpanBuffer } from './pod-span-buffer';
import { setTracingEnabled } from './pod-trace';

export interface Tracing {
  buffer: PodSpanBuffer;
  stop(): Promise<void>;
}

let shared: { provider: BasicTracerProvider; buffer: PodSpanBuffer; users: number } | undefined;

/** `service` names the process to a collector (OpenTelemetry's service.name): flotilla-control-plane, flotilla-agent. */
export function startTracing(service: string, extra: SpanProcessor[] = []): Tracing {
  if (!shared) {
    const buffer = new PodSpanBuffer();
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [buffer, ...extra] });
    trace.disable();
    trace.setGlobalTracerProvider(provider);
    setTracingEnabled(true);
    shared = { provider, buffer, users: 0 };
  }
  const mine = shared;
  mine.users++;
  let stopped = false;
  return {
    buffer: mine.buffer,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (--mine.users > 0) return;
      if (shared === mine) {
        shared = undefined;
        trace.disable();
        setTracingEnabled(false);
      }
      await mine.provider.shutdown();
    },
  };
}
