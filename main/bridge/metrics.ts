// Samples metrics.k8s.io NodeMetrics every few seconds while someone listens.
import type { NodeMetrics } from '../api/types';
import { cpuMillisOrNaN, quantityOrNaN } from '../api/quantity';
import { METRICS_INTERVAL_MS } from './contract';
import type { BridgeEvents, MetricSample } from './contract';
import type { ApiEndpoint } from './api-http';
import { getJson } from './api-http';

export { METRICS_INTERVAL_MS };

export function samplesOf(items: NodeMetrics[], now: number): MetricSample[] {
  return items.map((m) => ({
    node: m.metadata.name ?? '',
    at: Date.parse(m.timestamp) || now,
    cpuMillis: cpuMillisOrNaN(m.usage.cpu),
    memoryBytes: quantityOrNaN(m.usage.memory),
  }));
}

/** Starts sampling; returns the disposer. The first sample is taken at once. */
export function sampleMetrics(api: ApiEndpoint, emit: (payload: BridgeEvents['metrics']) => void, intervalMs = METRICS_INTERVAL_MS): () => void {
  let stopped = false;
  const tick = async () => {
    try {
      const r = await getJson<{ items?: NodeMetrics[] }>(api, '/apis/metrics.k8s.io/v1beta1/nodes');
      if (stopped) return;
      if (!r.ok) emit({ samples: [], available: false, message: r.error.message });
      else {
        const items = r.value.items ?? [];
        emit({ samples: samplesOf(items, Date.now()), available: items.length > 0, message: items.length > 0 ? undefined : 'no node has reported metrics yet' });
      }
    } catch (e) {
      if (!stopped) emit({ samples: [], available: false, message: e instanceof Error ? e.message : String(e) });
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
