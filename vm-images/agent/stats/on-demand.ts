// GET /stats/summary's samples, taken when asked rather than on a timer (a node nobody scrapes is not woken), as
// cAdvisor's housekeeping would have taken them: asks within `shareMs` share the last sample (and one in flight); a
// sample's rates cover the time since the previous one, or a fresh baseline's `baselineMs` when the previous one is
// older than `maxRateWindowMs` (or there is none), so a scrape after a pause never reports an hour's average.
import type { StatsSummary } from '../../../main/protocol/stats-summary';
import { STATS_BASELINE_MS, STATS_MAX_RATE_WINDOW_MS } from '../../../main/protocol/stats-summary';
import { pause } from '../node/time';

export interface OnDemandStatsOptions {
  /** Takes a sample (the collector's summary(): its rates are against its own previous sample). */
  take: () => Promise<StatsSummary>;
  shareMs: number;
  maxRateWindowMs?: number;
  baselineMs?: number;
  now?: () => number;
  signal?: AbortSignal;
}

export class OnDemandStats {
  private last?: { at: number; summary: StatsSummary };
  private sampling?: Promise<StatsSummary>;

  constructor(private readonly o: OnDemandStatsOptions) {}

  get(): Promise<StatsSummary> {
    const now = (this.o.now ?? Date.now)();
    const last = this.last;
    if (last && now - last.at < this.o.shareMs) return Promise.resolve(last.summary);
    this.sampling ??= this.sample(last ? now - last.at : Infinity).finally(() => { this.sampling = undefined; });
    return this.sampling;
  }

  private async sample(age: number): Promise<StatsSummary> {
    if (!(age <= (this.o.maxRateWindowMs ?? STATS_MAX_RATE_WINDOW_MS))) {
      await this.o.take();
      await pause(this.o.baselineMs ?? STATS_BASELINE_MS, this.o.signal);
    }
    const summary = await this.o.take();
    this.last = { at: (this.o.now ?? Date.now)(), summary };
    return summary;
  }
}
