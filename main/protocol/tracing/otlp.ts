// Export to an external collector over OTLP/HTTP (JSON), when `flotilla serve --otlp-endpoint URL` names
// one (kube-apiserver's TracingConfiguration, off by default): spans are batched and sent in the background.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpTracesUrl } from './otlp-url';

export function otlpProcessor(endpoint: string): SpanProcessor {
  return new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) }));
}
