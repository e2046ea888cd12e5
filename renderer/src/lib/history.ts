// Time travel's pure parts: the compaction window in words, the cluster map (nodes and their pods) and the event
// timeline of a past snapshot, and the two revisions an object's diff compares.
import type { KObject, Node, Pod } from '../../../main/api/types';
import type { HistorySnapshot, HistoryWindow } from '../../../main/bridge/contract';

/** The intervals the UI offers (ms; 0: never), kube-apiserver's default (5 min) among them. */
export const INTERVAL_CHOICES = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 0] as const;

/** "30 s", "5 min", "1 h 30 min", "never". */
export function intervalText(ms: number): string {
  if (ms <= 0) return 'never';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
}

/** How the window works, in one sentence. */
export function windowText(w: HistoryWindow): string {
  if (w.intervalMs <= 0) return 'Compaction is off: every revision since the store began stays readable (the database grows).';
  const i = intervalText(w.intervalMs);
  const twice = intervalText(2 * w.intervalMs);
  return `Every ${i} the store compacts to the revision of ${i} before, as kube-apiserver does: between ${i} and ${twice} of history stay readable.`;
}

/** "14:03:27", or "" when unknown. */
export function clockOf(at: number | undefined): string {
  if (at === undefined) return '';
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "12 s ago", "3 min ago", "2 h ago". */
export function agoText(at: number | undefined, now: number): string {
  if (at === undefined) return '';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export interface PastNode {
  name: string;
  /** The Ready condition's status then ("True", "False", "Unknown"), undefined without one. */
  ready?: string;
  pods: Pod[];
}

const byName = new Intl.Collator(undefined, { numeric: true });
const nameOf = (o: { metadata?: { name?: string } }): string => o.metadata?.name ?? '';

/** The snapshot's nodes with their pods (by spec.nodeName), and the pods no node had. */
export function pastMap(s: Pick<HistorySnapshot, 'nodes' | 'pods'>): { nodes: PastNode[]; unscheduled: Pod[] } {
  const pods = (s.pods as Pod[]).slice().sort((a, b) => byName.compare(nameOf(a), nameOf(b)));
  const nodes = (s.nodes as Node[]).map((n) => ({
    name: nameOf(n),
    ready: n.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    pods: pods.filter((p) => p.spec?.nodeName === nameOf(n)),
  })).sort((a, b) => byName.compare(a.name, b.name));
  const known = new Set(nodes.map((n) => n.name));
  return { nodes, unscheduled: pods.filter((p) => !p.spec?.nodeName || !known.has(p.spec.nodeName)) };
}

export interface PastEvent {
  uid: string;
  /** Its resourceVersion: which of events in the same second came later. */
  rv: number;
  at: string;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
}

/** The snapshot's events, newest first, at most `limit`. */
export function pastEvents(events: KObject[], limit = 100): PastEvent[] {
  return events.map((o) => {
    const e = o as KObject & {
      type?: string; reason?: string; message?: string; count?: number; lastTimestamp?: string; eventTime?: string; firstTimestamp?: string;
      involvedObject?: { kind?: string; name?: string };
    };
    return {
      uid: e.metadata?.uid ?? nameOf(e),
      rv: Number(e.metadata?.resourceVersion) || 0,
      at: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '',
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
      message: e.message ?? '',
      count: e.count ?? 1,
    };
  }).sort((a, b) => b.at.localeCompare(a.at) || b.rv - a.rv).slice(0, limit);
}

/**
 * The revision an object's diff starts from by default: the one just before the object's last change as of
 * `revision` (its resourceVersion then, minus one), kept inside the readable window.
 */
export function previousChange(obj: KObject | undefined, revision: number, oldest: number): number {
  const rv = Number(obj?.metadata?.resourceVersion);
  const before = Number.isSafeInteger(rv) && rv > 0 ? rv - 1 : revision - 1;
  return Math.max(oldest, Math.min(before, revision));
}

/** A revision typed by a person, clamped to the window; undefined when it is no whole number. */
export function clampRevision(raw: string | number, w: Pick<HistoryWindow, 'oldest' | 'current'>): number | undefined {
  if (typeof raw === 'string' && !raw.trim()) return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw.trim());
  if (!Number.isSafeInteger(n)) return undefined;
  return Math.min(Math.max(n, w.oldest), w.current);
}
