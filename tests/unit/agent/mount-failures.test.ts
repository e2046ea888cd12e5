// The FailedMount cadence: reported at once, then again each time the kubelet's backoff (500 ms doubling
// to 2m2s) lets the retry through; a new message at once.
import { describe, expect, it } from 'vitest';
import { MountFailures } from '../../../vm-images/agent/volumes/mount-failures';

describe('MountFailures', () => {
  it('reports a repeating failure on the exponential backoff, capped, and a new one at once', () => {
    let now = 0;
    const f = new MountFailures(() => now);
    const reportedAt: number[] = [];
    for (now = 0; now <= 10_000; now += 100) if (f.due('a')) reportedAt.push(now);
    expect(reportedAt).toEqual([0, 500, 1500, 3500, 7500]);
    expect(f.due('b')).toBe(true);
    now = 1_000_000;
    for (let i = 0; i < 20; i++) { now += 122_000; expect(f.due('b')).toBe(true); }
    expect(f.due('b')).toBe(false);
    f.clear();
    expect(f.due('b')).toBe(true);
  });
});
