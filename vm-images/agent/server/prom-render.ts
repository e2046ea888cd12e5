// Prometheus' text format (0.0.4) as the kubelet's Go registry writes it: families by name, samples by their label
// values, labels in the order given (callers give them sorted by name, as the Go client sorts them), numbers as Go
// formats them, an optional timestamp in milliseconds. Used by /metrics/resource and /metrics/cadvisor.
import { compareCodePoints } from '../../../main/api/string-order';

/** What component-base's handler answers with for the text format. */
export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Sample { labels: Array<[string, string]>; value: number; timestampMs?: number }
export interface Family { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] }

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

