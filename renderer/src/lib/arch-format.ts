// How the architecture view writes its figures: rates, bytes, milliseconds, and "—" for what is unknown.
import type { ArchitectureSnapshot } from '../../../main/api/architecture';
import { formatBytes } from './quantity';

export const UNKNOWN = '—';

export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined) return UNKNOWN;
  if (v === 0) return '0/s';
  if (v < 0.1) return '<0.1/s';
  return v < 10 ? `${v.toFixed(1)}/s` : `${Math.round(v)}/s`;
}

export function count(v: number | null | undefined): string {
  return v === null || v === undefined ? UNKNOWN : String(Math.round(v));
}

export function bytes(v: number | null | undefined): string {
  return v === null || v === undefined ? UNKNOWN : formatBytes(v);
}

export function millis(v: number | null | undefined): string {
  if (v === null || v === undefined) return UNKNOWN;
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
}

export function seconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return UNKNOWN;
  return v < 10 ? `${v.toFixed(1)} s` : `${Math.round(v)} s`;
}

/** "4 s ago" from an ISO time, against `now` (ms). */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return UNKNOWN;
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return UNKNOWN;
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** A clock time "21:30:05" from an ISO time (the viewer's local time). */
export function clock(iso: string | null | undefined): string {
  if (!iso) return UNKNOWN;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? UNKNOWN : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** The store's last compaction: "21:30:05 (2 min ago) · rev 1234", "none yet · rev 0" before the first. */
export function compaction(iso: string | null | undefined, revision: number | null | undefined, now: number): string {
  const rev = revision === null || revision === undefined ? '' : ` · rev ${Math.round(revision)}`;
  return iso ? `${clock(iso)} (${ago(iso, now)})${rev}` : `none yet${rev}`;
}

/** The API server's busiest verbs, "POST 3/s · GET 1.2/s", at most `max` of them. */
export function verbRates(s: ArchitectureSnapshot, max = 3): string {
  const list = Object.entries(s.apiServer.requestsPerSec).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  if (!list.length) return s.apiServer.totalPerSec === null ? UNKNOWN : 'idle';
  return list.slice(0, max).map(([verb, v]) => `${verb} ${rate(v)}`).join(' · ');
}
