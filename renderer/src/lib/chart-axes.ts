// The usage charts' axes (pure): value ticks from 0 to the node's allocatable with units, time ticks over the window
// the history covers ("−4 min" … "now"), and where each sample falls. Positions are fractions (0..1) of the plot:
// x from its left edge, y from its bottom.

export interface Tick {
  /** 0..1 along the axis (x: from the left, y: from the bottom). */
  at: number;
  label: string;
}

/** `count` + 1 ticks from 0 to max, each labelled with `format` (0 as "0"). */
export function valueTicks(max: number, format: (n: number) => string, count = 2): Tick[] {
  if (!(max > 0) || count < 1) return [{ at: 0, label: '0' }];
  return Array.from({ length: count + 1 }, (_, i) => ({ at: i / count, label: i === 0 ? '0' : format((max * i) / count) }));
}

/** Ticks every `stepMs` back from now over the window, oldest first, the newest labelled "now". */
export function timeTicks(windowMs: number, stepMs = 60_000): Tick[] {
  if (!(windowMs > 0) || !(stepMs > 0)) return [];
  const ticks: Tick[] = [];
  for (let back = Math.floor(windowMs / stepMs) * stepMs; back >= 0; back -= stepMs) {
    ticks.push({ at: 1 - back / windowMs, label: back === 0 ? 'now' : `−${durationLabel(back)}` });
  }
  return ticks;
}

/** "5 min", "30 s", "1 h". */
export function durationLabel(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = s / 60;
  if (m < 60) return `${Number.isInteger(m) ? m : m.toFixed(1)} min`;
  const h = m / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

/** Samples within the window ending at `now`, as [x, y] fractions (values clamped to 0..max). */
export function plotPoints(times: readonly number[], values: readonly number[], max: number, now: number, windowMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!(max > 0) || !(windowMs > 0)) return out;
  for (let i = 0; i < times.length && i < values.length; i++) {
    const x = 1 - (now - times[i]) / windowMs;
    if (x < 0 || x > 1) continue;
    out.push([x, Math.max(0, Math.min(1, values[i] / max))]);
  }
  return out;
}

/** CPU on an axis: "500m", "1 core", "2 cores", "1.5 cores". */
export function formatCores(millis: number): string {
  if (!Number.isFinite(millis)) return '—';
  if (millis < 1000) return `${Math.round(millis)}m`;
  const cores = millis / 1000;
  const text = Number.isInteger(cores) ? String(cores) : cores.toFixed(1);
  return `${text} ${cores === 1 ? 'core' : 'cores'}`;
}
