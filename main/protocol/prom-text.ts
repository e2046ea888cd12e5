// Prometheus' text exposition format (0.0.4), parsed strictly: what the architecture view reads from
// the API server's and the agents' /metrics, and what the tests check those pages against. A line that
// is not a comment, HELP, TYPE or a well-formed sample is an error naming its line number.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** The sample's own name (a histogram's `_bucket`, `_sum`, `_count` included). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export class PromParseError extends Error {}

function parseValue(s: string, line: number): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new PromParseError(`line ${line}: ${JSON.stringify(s)} is not a number`);
  return Number(s);
}

/** Labels from just after `{` to the closing `}`; returns them and the index after `}`. */
function parseLabels(text: string, start: number, line: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start;
  for (;;) {
    if (text[i] === '}') return [labels, i + 1];
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new PromParseError(`line ${line}: a label has no value`);
    const name = text.slice(i, eq).trim();
    if (!LABEL.test(name)) throw new PromParseError(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new PromParseError(`line ${line}: label ${name} repeated`);
    if (text[eq + 1] !== '"') throw new PromParseError(`line ${line}: label ${name}'s value is not quoted`);
    let v = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const e = text[++j];
        if (e === 'n') v += '\n';
        else if (e === '\\' || e === '"') v += e;
        else throw new PromParseError(`line ${line}: bad escape \\${e ?? ''} in label ${name}`);
      } else v += text[j];
    }
    if (j >= text.length) throw new PromParseError(`line ${line}: label ${name}'s value is not closed`);
    labels[name] = v;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new PromParseError(`line ${line}: expected , or } after label ${name}`);
  }
}

function familyOf(sample: string, families: Map<string, PromFamily>): PromFamily | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const f = families.get(sample.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f;
  }
  return undefined;
}

/** Every family in the page, in order; samples without a TYPE line become untyped families. */
export function parsePromText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, idx) => {
    const n = idx + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, what, name, rest = ''] = m;
      if (!NAME.test(name)) throw new PromParseError(`line ${n}: bad metric name ${JSON.stringify(name)}`);
      const f = families.get(name) ?? { name, type: 'untyped' as MetricType, help: '', samples: [] };
      families.set(name, f);
      if (what === 'HELP') f.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else {
        if (!TYPES.has(rest.trim() as MetricType)) throw new PromParseError(`line ${n}: unknown type ${JSON.stringify(rest)}`);
        if (f.samples.length) throw new PromParseError(`line ${n}: TYPE of ${name} after its samples`);
        f.type = rest.trim() as MetricType;
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!m) throw new PromParseError(`line ${n}: not a sample: ${JSON.stringify(line.slice(0, 80))}`);
    const name = m[1];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === '{') [labels, i] = parseLabels(line, i + 1, n);
    const parts = line.slice(i).trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === '') throw new PromParseError(`line ${n}: ${name} needs a value (and at most a timestamp)`);
    const value = parseValue(parts[0], n);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new PromParseError(`line ${n}: bad timestamp ${JSON.stringify(parts[1])}`);
    let f = familyOf(name, families);
    if (!f) {
      f = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, f);
    }
    if (f.type === 'histogram' && name === `${f.name}_bucket` && labels.le === undefined) throw new PromParseError(`line ${n}: ${name} has no le label`);
    f.samples.push({ name, labels, value });
  });
  return [...families.values()];
}
