// GET /metrics/resource: the kubelet's resource metrics (pkg/kubelet/metrics/collectors/resource_metrics.go) in
// Prometheus' text format, from one stats summary: node, pod and container CPU (cumulative core-seconds) and memory
// (working set), containers' start times and the scrape's error gauge. Each CPU and memory sample carries the time of
// its stats as the kubelet's do (metrics-server reads rates from them). Families and samples come in the order
// Prometheus' Go registry writes them (families by name, samples by label values), numbers as Go formats them.
import { compareCodePoints } from '../../../main/api/string-order';
import type { CpuStats, MemoryStats, StatsSummary } from '../../../main/protocol/stats-summary';

/** What component-base's handler answers with for the text format. */
export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Sample { labels: Array<[string, string]>; value: number; timestampMs?: number }
interface Family { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] }

/** A float as Go's strconv.FormatFloat(v, 'g', -1, 64) writes it (what Prometheus' Go client uses). */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa = '0', exp = '0'] = v.toExponential().split('e');
  const e = Number(exp);
  // The shortest digits; %e (two exponent digits at least) when the exponent is below -4 or 6 and above, as 'g' decides
  // with the shortest precision (so 1.0985472e+07 bytes, 123456 bytes, 0.000123, 1.2e-05).
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return v.toString();
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

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

const labelKey = (s: Sample): string => s.labels.map(([, v]) => v).join('\u0000');

/** Prometheus' text format (version 0.0.4) of the families. */
export function renderPrometheusText(families: Family[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of [...f.samples].sort((a, b) => compareCodePoints(labelKey(a), labelKey(b)))) {
      const labels = s.labels.length ? `{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      out += `${f.name}${labels} ${goFloat(s.value)}${s.timestampMs !== undefined ? ` ${s.timestampMs}` : ''}\n`;
    }
  }
  return out;
}

/** The body of GET /metrics/resource. */
export function resourceMetricsText(summary: StatsSummary | undefined): string {
  return renderPrometheusText(resourceMetricFamilies(summary));
}
