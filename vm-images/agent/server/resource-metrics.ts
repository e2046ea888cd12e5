// GET /metrics/resource: the kubelet's resource metrics (pkg/kubelet/metrics/collectors/resource_metrics.go) in
// Prometheus' text format, from one stats summary: node, pod and container CPU (cumulative core-seconds) and memory
// (working set), containers' start times and the scrape's error gauge. Each CPU and memory sample carries the time of
// its stats as the kubelet's do (metrics-server reads rates from them). Families and samples come in the order
// Prometheus' Go registry writes them (families by name, samples by label values), numbers as Go formats them.
import { compareCodePoints } from '../../../main/api/string-order';
import type { CpuStats, MemoryStats, StatsSummary } from '../../../main/protocol/stats-summary';
import { renderPrometheusText, type Family, type Sample } from './prom-render';

const ms = (time: string): number | undefined => {
  const t = Date.parse(time);
  return Number.isFinite(t) ? t : undefined;
};

function cpuSample(cpu: CpuStats | undefined, labels: Array<[string, string]>): Sample | undefined {
  if (cpu?.usageCoreNanoSeconds === undefined) return undefined;
  return { labels, value: cpu.usageCoreNanoSeconds / 1e9, timestampMs: ms(cpu.time) };
}

function memorySample(memory: MemoryStats | undefined, labels: Array<[string, string]>): Sample | undefined {
  if (memory?.workingSetBytes === undefined) return undefined;
  return { labels, value: memory.workingSetBytes, timestampMs: ms(memory.time) };
}

function family(name: string, help: string, type: Family['type'], samples: Array<Sample | undefined>): Family {
  return { name, help, type, samples: samples.filter((s): s is Sample => s !== undefined) };
}

/** The families of one summary (undefined: it could not be taken; only the error gauges then, at 1). */
export function resourceMetricFamilies(summary: StatsSummary | undefined): Family[] {
  const errorValue = summary ? 0 : 1;
  const families: Family[] = [
    family('resource_scrape_error', '[STABLE] 1 if there was an error while getting container metrics, 0 otherwise', 'gauge', [{ labels: [], value: errorValue }]),
    family('scrape_error', '[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise', 'gauge', [{ labels: [], value: errorValue }]),
  ];
  if (summary) {
    const pods = summary.pods;
    const containers = pods.flatMap((p) => p.containers.map((c) => ({ c, labels: [['container', c.name], ['namespace', p.podRef.namespace], ['pod', p.podRef.name]] as Array<[string, string]> })));
    const podLabels = (p: (typeof pods)[number]): Array<[string, string]> => [['namespace', p.podRef.namespace], ['pod', p.podRef.name]];
    families.push(
      family('node_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the node in core-seconds', 'counter', [cpuSample(summary.node.cpu, [])]),
      family('node_memory_working_set_bytes', '[STABLE] Current working set of the node in bytes', 'gauge', [memorySample(summary.node.memory, [])]),
      family('container_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the container in core-seconds', 'counter', containers.map(({ c, labels }) => cpuSample(c.cpu, labels))),
      family('container_memory_working_set_bytes', '[STABLE] Current working set of the container in bytes', 'gauge', containers.map(({ c, labels }) => memorySample(c.memory, labels))),
      family('container_start_time_seconds', '[STABLE] Start time of the container since unix epoch in seconds', 'gauge', containers.map(({ c, labels }) => {
        const t = c.startTime ? ms(c.startTime) : undefined;
        return t !== undefined && t > 0 ? { labels, value: t / 1000 } : undefined;
      })),
      family('pod_cpu_usage_seconds_total', '[STABLE] Cumulative cpu time consumed by the pod in core-seconds', 'counter', pods.map((p) => cpuSample(p.cpu, podLabels(p)))),
      family('pod_memory_working_set_bytes', '[STABLE] Current working set of the pod in bytes', 'gauge', pods.map((p) => memorySample(p.memory, podLabels(p)))),
    );
  }
  return families.filter((f) => f.samples.length > 0).sort((a, b) => compareCodePoints(a.name, b.name));
}

/** The body of GET /metrics/resource. */
export function resourceMetricsText(summary: StatsSummary | undefined): string {
  return renderPrometheusText(resourceMetricFamilies(summary));
}
