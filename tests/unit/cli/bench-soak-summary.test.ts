// The soak's figures from its samples: quarter medians that a swing of V8's heap at either end cannot move.
import { describe, expect, it } from 'vitest';
import { quarterMedians, summarize } from '../../../main/cli/bench-soak';
import type { Sample } from '../../../main/cli/bench-soak-sample';

/** A sample at `t` seconds with this RSS and V8 heap (the rest at rest). */
function sample(t: number, rssMb: number, heapTotalMb = 200, heapMb = 80): Sample {
  return {
    t, dbBytes: 1, walBytes: 0, shmBytes: 0, diskBytes: 1, usedBytes: 1, freeBytes: 0, latestBytes: 1, keys: 1, revision: t, compactRevision: 0,
    compactions: 0, compactionPauseMs: 0, rssMb, heapMb, heapTotalMb, externalMb: 20, loopMaxMs: 1, calls: 1,
    writeP50: 1, writeP99: 2, readP50: 1, readP99: 2, p99: 2,
  };
}

describe('bench soak summary', () => {
  it('takes the median RSS of each quarter by time, and the last against the second', () => {
    // 100 samples over 1,000 s: a warm-up to 300 MiB in the first quarter, then level with a dip near the halfway mark
    // and a swing at the end, which the 3-sample ends would read as growth.
    const samples = Array.from({ length: 100 }, (_, i) => {
      const t = (i + 1) * 10;
      const rss = t < 250 ? 200 + 0.4 * t : t >= 500 && t < 530 ? 270 : t > 970 ? 330 : 300;
      return sample(t, rss);
    });
    // (the bench's median is the nearest-rank one: the lower middle of an even count)
    expect(quarterMedians(samples, (s) => s.rssMb)).toEqual([248, 300, 300, 300]);
    const sum = summarize(samples, { write: [1], read: [1] }, 0, 60);
    expect(sum.rssQuarterMediansMb).toEqual([248, 300, 300, 300]);
    expect(sum.rssLateGrowthMb).toBe(0);
    expect(sum.rssGrowthLastHalfMb).toBe(60); // the ends' figure, fooled by the dip and the swing: 330 − 270
  });

  it('splits the second half\'s RSS growth into V8\'s reserved heap and native memory', () => {
    const samples = Array.from({ length: 40 }, (_, i) => sample(i + 1, 300 + i, 200 + i / 2));
    const sum = summarize(samples, { write: [1], read: [1] }, 0, 5);
    // The second half's first 3 samples against its last 3, by medians: RSS 320 → 338, V8's heap 210 → 219, native 90 → 99.
    expect(sum.rssGrowthLastHalfMb).toBe(18);
    expect(sum.heapTotalGrowthLastHalfMb).toBe(9);
    expect(sum.nativeGrowthLastHalfMb).toBe(9);
  });
});
