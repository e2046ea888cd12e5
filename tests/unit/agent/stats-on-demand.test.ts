import { describe, expect, it } from 'vitest';
import { OnDemandStats } from '../../../vm-images/agent/stats/on-demand';
import type { StatsSummary } from '../../../main/protocol/stats-summary';

const summary = (n: number): StatsSummary => ({ node: { nodeName: `sample-${n}` }, pods: [] });

describe('the agent\'s stats on demand', () => {
  it('samples only when asked: a first ask takes a baseline then the sample; asks within shareMs share it', async () => {
    let t = 0;
    let taken = 0;
    const stats = new OnDemandStats({ take: async () => summary(++taken), shareMs: 5000, maxRateWindowMs: 60_000, baselineMs: 1, now: () => t });
    expect(taken).toBe(0); // no timer
    const [a, b] = await Promise.all([stats.get(), stats.get()]);
    expect(taken).toBe(2); // baseline + sample, once for both asks
    expect(a.node.nodeName).toBe('sample-2');
    expect(b).toBe(a);
    t += 4000;
    expect(await stats.get()).toBe(a);
    t += 6000; // a scrape period later: one new sample, its rates over the 10 s since the last
    expect((await stats.get()).node.nodeName).toBe('sample-3');
    expect(taken).toBe(3);
    t += 3_600_000; // after an hour nobody asked: a fresh baseline first, not an hour's average
    expect((await stats.get()).node.nodeName).toBe('sample-5');
    expect(taken).toBe(5);
  });
});
