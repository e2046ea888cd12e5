// The work queue: dedup, re-queue of keys added while processing, per-key exponential backoff.
import { describe, expect, it } from 'vitest';
import { WorkQueue, runWorkers } from '../../../main/client/workqueue';

describe('work queue', () => {
  it('deduplicates waiting keys and re-queues a key added while it is processed', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    const k = await q.get();
    expect(k).toBe('a');
    q.add('a'); // while processing
    expect(q.length).toBe(1);
    q.done('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('b');
    expect(await q.get()).toBe('a');
    q.shutdown();
    expect(await q.get()).toBeUndefined();
  });

  it('backs off exponentially per key and forgets on success', async () => {
    const q = new WorkQueue<string>({ baseDelayMs: 20 });
    const times: number[] = [];
    const t0 = Date.now();
    let fails = 3;
    await new Promise<void>((resolve) => {
      const stop = runWorkers(q, 1, async () => {
        times.push(Date.now() - t0);
        if (fails-- > 0) throw new Error('again');
        stop();
        resolve();
      });
      q.add('k');
    });
    // Retries after 20, 40, 80 ms: at least 140 ms in all.
    await new Promise((r) => setImmediate(r));
    expect(times.length).toBe(4);
    expect(times[3]).toBeGreaterThanOrEqual(130);
    expect(q.numRequeues('k')).toBe(0);
  });
});
