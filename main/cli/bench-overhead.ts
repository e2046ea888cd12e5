// `flotilla bench api|pod-startup --overhead <rounds>`: the overhead of tracing and metrics, measured in one run. The
// bench runs 2 × rounds times as child processes, with --tracing and --metrics both on or both off, alternating in an
// ABBA order (on, off, off, on, …) so drift in the machine's load falls on both sides alike; the medians of each side
// and the overhead of "on" in percent are printed, then one JSON line.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { median, printResult, printTable, round } from './bench-report';

const CLI = path.join(__dirname, '..', 'cli.ts');

/** A figure the overhead is reported for, and whether a larger value is better (throughput) or worse (latency). */
export interface OverheadFigure { key: string; better: 'higher' | 'lower' }

export const OVERHEAD_FIGURES: Record<'api' | 'pod-startup', OverheadFigure[]> = {
  api: [{ key: 'creates_per_s', better: 'higher' }, { key: 'mutating_p50_ms', better: 'lower' }, { key: 'mutating_p99_ms', better: 'lower' },
    { key: 'get_p50_ms', better: 'lower' }, { key: 'watch_p50_ms', better: 'lower' },
    { key: 'server_cpu_us_per_create', better: 'lower' }, { key: 'server_cpu_us_per_get', better: 'lower' }],
  'pod-startup': [{ key: 'p50_ms', better: 'lower' }, { key: 'p99_ms', better: 'lower' }],
};

/** The order of the runs: true = tracing and metrics on. ABBA: on, off, off, on, on, off, … */
export function overheadOrder(rounds: number): boolean[] {
  return Array.from({ length: rounds }, (_, i) => (i % 2 === 0 ? [true, false] : [false, true])).flat();
}

/** How much worse "on" is than "off", in percent (positive: on costs that much). */
export function overheadPct(on: number, off: number, better: OverheadFigure['better']): number {
  if (!(on > 0) || !(off > 0)) return NaN;
  return better === 'higher' ? (off / on - 1) * 100 : (on / off - 1) * 100;
}

function runOnce(bench: string, args: string[], on: boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'bench', bench, ...args, `--tracing=${on}`, `--metrics=${on}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !line) return reject(new Error(`bench ${bench} (tracing and metrics ${on ? 'on' : 'off'}) exited with ${code}:\n${out}`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

export async function benchOverhead(bench: 'api' | 'pod-startup', rounds: number, args: string[]): Promise<void> {
  const figures = OVERHEAD_FIGURES[bench];
  const values = { on: new Map<string, number[]>(), off: new Map<string, number[]>() };
  const order = overheadOrder(rounds);
  for (const [i, on] of order.entries()) {
    process.stderr.write(`run ${i + 1}/${order.length}: tracing and metrics ${on ? 'on' : 'off'}\n`);
    const r = await runOnce(bench, args, on);
    for (const f of figures) {
      const v = r[f.key];
      if (typeof v !== 'number') continue;
      const side = values[on ? 'on' : 'off'];
      side.set(f.key, [...(side.get(f.key) ?? []), v]);
    }
  }
  const rows: Array<Array<string | number>> = [['figure (median)', 'on', 'off', 'overhead %']];
  const result: Record<string, string | number | boolean> = { bench: `${bench}-overhead`, rounds, runs: order.length, order: 'ABBA' };
  for (const f of figures) {
    const on = median(values.on.get(f.key) ?? []);
    const off = median(values.off.get(f.key) ?? []);
    const pct = round(overheadPct(on, off, f.better), 1);
    rows.push([f.key, round(on, 2), round(off, 2), pct]);
    Object.assign(result, { [`on_${f.key}`]: round(on, 2), [`off_${f.key}`]: round(off, 2), [`overhead_pct_${f.key}`]: pct });
  }
  printTable(rows);
  console.log('');
  printResult(result);
}
