// The agent's informer errors during an outage: the first at once, then one per period with a count of those held.
import { describe, expect, it } from 'vitest';
import { throttleErrors } from '../../../vm-images/agent/sync/error-throttle';

describe('throttleErrors', () => {
  it('passes the first error of an outage, then one per period saying how many came between, and starts again on recovery', () => {
    let t = 1_000;
    const passed: string[] = [];
    const e = throttleErrors((err) => passed.push(err instanceof Error ? err.message : String(err)), 30_000, () => t);
    e.onError(new Error('connect ECONNREFUSED'));
    for (let i = 0; i < 25; i++) { t += 1_000; e.onError(new Error('connect ECONNREFUSED')); }
    expect(passed).toEqual(['connect ECONNREFUSED']);
    t += 5_000; // 30 s after the first
    e.onError(new Error('connect ECONNREFUSED'));
    expect(passed).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED (and 25 more failed attempts in the last 30 s)']);
    t += 1_000;
    e.onError('a string');
    expect(passed).toHaveLength(2);
    e.recovered();
    e.onError(new Error('410 Gone'));
    expect(passed).toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED (and 25 more failed attempts in the last 30 s)', '410 Gone']);
  });

  it('keeps the original error as the cause of a summary line', () => {
    let t = 0;
    const passed: unknown[] = [];
    const e = throttleErrors((err) => passed.push(err), 10_000, () => t);
    const first = new Error('a');
    const second = new Error('b');
    e.onError(first);
    t = 5_000;
    e.onError(new Error('held'));
    t = 20_000;
    e.onError(second);
    expect(passed[0]).toBe(first);
    expect((passed[1] as Error).message).toBe('b (and 1 more failed attempt in the last 10 s)');
    expect((passed[1] as Error).cause).toBe(second);
  });
});
