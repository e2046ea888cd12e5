// Watch bookmarks on one timer per period for every watch, as kube-apiserver's cacher sends them from one dispatch loop
// (its bookmark timers bucketed by the second), not on a timer per watch: a client's watches (an agent has about nine,
// through its SSH tunnel) get their bookmarks in one turn, written together, so an idle cluster wakes once a minute
// per client instead of once per watch. A watch's first bookmark comes within one period of its start.

interface Ticker { timer: NodeJS.Timeout; sends: Set<() => void> }

const tickers = new Map<number, Ticker>();

/** Calls `send` every `periodMs` on the shared timer of that period; returns the remover (the last one stops the timer). */
export function everyBookmarkPeriod(periodMs: number, send: () => void): () => void {
  let t = tickers.get(periodMs);
  if (!t) {
    const sends = new Set<() => void>();
    t = { sends, timer: setInterval(() => { for (const s of [...sends]) s(); }, periodMs) };
    tickers.set(periodMs, t);
  }
  const ticker = t;
  ticker.sends.add(send);
  return () => {
    if (!ticker.sends.delete(send) || ticker.sends.size > 0) return;
    clearInterval(ticker.timer);
    if (tickers.get(periodMs) === ticker) tickers.delete(periodMs);
  };
}

/** How many shared timers run (for tests). */
export function bookmarkTimers(): number {
  return tickers.size;
}
