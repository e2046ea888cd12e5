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

  it('keeps the earliest time when a waiting key is added again after a delay', async () => {
    const q = new WorkQueue<string>();
    const t0 = Date.now();
    q.addAfter('k', 5_000);
    q.addAfter('k', 20);
    q.addAfter('k', 10_000);
    expect(await q.get()).toBe('k');
    expect(Date.now() - t0).toBeLessThan(2_000);
    q.done('k');
    q.shutdown();
  });

  it('is drained once nothing is queued or processing', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    let drained = false;
    const d = q.drained().then(() => { drained = true; });
    const k = await q.get();
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    q.done(k!);
    await d;
    expect(drained).toBe(true);
    q.shutdown();
  });
});
