// The architecture view's activity dots: each snapshot's events per link (writes, requests, pod
// changes, …) become at most a few dots per link, spread over the interval, so a link stays readable at
// 100 events/s. A dot carries how many events it stands for; links with dots still in flight get fewer.
import type { ArchActivity, ArchLink } from '../../../main/api/architecture';

/**
 * Where each link comes in a change's way through the cluster: a client's request reaches the API server (0), is written
 * to the store (1), comes back from the store as watch events (2) and reaches the watchers — scheduler, controllers,
 * agents (3). Dots of a later stage leave later, so a create is seen flowing API server → store → watchers.
 */
export function linkStage(link: ArchLink): number {
  if (link === 'clients-api') return 0;
  if (link === 'api-store') return 1;
  if (link === 'store-api') return 2;
  return 3;
}

/** Most dots on one link at once. */
export const MAX_DOTS_PER_LINK = 4;

export interface PlannedDot {
  link: ArchLink;
  /** Events this dot stands for (≥ 1). */
  count: number;
  /** When it leaves, ms after the snapshot arrived. */
  delayMs: number;
}

/**
 * Dots for one snapshot: per link, min(events, free slots) dots, the events shared out among them,
 * their departures spread over `spreadMs` after the link's stage (`stageMs` each). `inFlight` says how many dots each
 * link still shows.
 */
export function planDots(
  activity: readonly ArchActivity[], inFlight: ReadonlyMap<string, number>, spreadMs: number, cap = MAX_DOTS_PER_LINK, stageMs = 0,
): PlannedDot[] {
  const totals = new Map<ArchLink, number>();
  for (const a of activity) if (a.count > 0) totals.set(a.link, (totals.get(a.link) ?? 0) + Math.round(a.count));
  const out: PlannedDot[] = [];
  for (const [link, total] of totals) {
    const free = cap - (inFlight.get(link) ?? 0);
    if (free <= 0 || total <= 0) continue;
    const dots = Math.min(free, total);
    const base = Math.floor(total / dots);
    let rest = total - base * dots;
    for (let i = 0; i < dots; i++) {
      const count = base + (rest > 0 ? 1 : 0);
      if (rest > 0) rest--;
      out.push({ link, count, delayMs: linkStage(link) * stageMs + (dots === 1 ? 0 : Math.round((spreadMs * i) / dots)) });
    }
  }
  return out;
}

/** The link a node's activity goes to when its card is not shown (beyond what fits): the summary card's. */
export function visibleLink(link: ArchLink, shownNodes: ReadonlySet<string>): ArchLink {
  if (!link.startsWith('api-node:')) return link;
  return shownNodes.has(link.slice('api-node:'.length)) ? link : 'api-node:*';
}
