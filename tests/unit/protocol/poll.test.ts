import { describe, expect, it } from 'vitest';
import { PollFailure, pollUntil } from '../../../main/protocol/poll';

describe('pollUntil', () => {
  it('returns the first value that is not undefined/false, retrying errors', async () => {
    let n = 0;
    const v = await pollUntil(() => {
      n++;
      if (n === 1) throw new Error('not up yet');
      return n >= 3 ? `after ${n}` : false;
    }, 5000, 'three tries', 1);
    expect(v).toBe('after 3');
  });

  it('times out with what it waited for and the last error', async () => {
    await expect(pollUntil(() => { throw new Error('refused'); }, 30, 'the socket', 5)).rejects.toThrow('timed out after 0 s waiting for the socket (refused)');
  });

  it('stops at once on a PollFailure', async () => {
    let n = 0;
    const t0 = Date.now();
    await expect(pollUntil(() => { n++; throw new PollFailure('machine failed'); }, 10_000, 'a machine', 5)).rejects.toThrow('machine failed');
    expect(n).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
