// The scheduling queue: dedup, unschedulable pods parked until a cluster event, backoff.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SchedulingQueue } from '../../../main/scheduler/queue';
import { newPodInfo } from '../../../main/scheduler/pod-info';

const info = (name: string) => newPodInfo({ metadata: { name, namespace: 'default', uid: name }, spec: { containers: [] } });
let q: SchedulingQueue;
afterEach(() => q?.close());

describe('scheduling queue', () => {
  it('deduplicates and pops in order', async () => {
    q = new SchedulingQueue();
    q.add(info('a'));
    q.add(info('b'));
    q.add(info('a'));
    expect((await q.pop())?.key).toBe('default/a');
    expect((await q.pop())?.key).toBe('default/b');
    expect(q.pendingCount).toBe(0);
  });

  it('pops higher priority first, FIFO within a priority (PrioritySort)', async () => {
    q = new SchedulingQueue();
    const prio = (name: string, priority: number) => newPodInfo({ metadata: { name, namespace: 'default', uid: name }, spec: { priority, containers: [] } });
    for (const p of [prio('low', -5), prio('zero1', 0), prio('high', 1000), prio('zero2', 0), prio('high2', 1000)]) q.add(p);
    q.delete('default/zero2');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())?.pod.metadata?.name ?? '');
    expect(order).toEqual(['high', 'high2', 'zero1', 'low']);
    expect(q.pendingCount).toBe(0);
    // A higher-priority pod added later still goes first.
    q.add(prio('later-low', 1));
    q.add(prio('later-high', 7));
    expect((await q.pop())?.pod.metadata?.name).toBe('later-high');
  });

  it('parks unschedulable pods until something changes, then backs off', async () => {
    q = new SchedulingQueue();
    q.add(info('a'));
    const a = await q.pop();
    q.unschedulableAgain(a!.key);
    expect(q.pendingCount).toBe(1);
    // Nothing pops while parked.
    let popped: string | undefined;
    void q.pop().then((p) => (popped = p?.key));
    await new Promise((r) => setImmediate(r));
    expect(popped).toBeUndefined();
    const t0 = Date.now();
    q.moveAllToActiveOrBackoff();
    // First failure: 1 s backoff before it is active again.
    for (let i = 0; i < 100 && !popped; i++) await new Promise((r) => setTimeout(r, 50));
    expect(popped).toBe('default/a');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
  });

  it('a pod that fails while the cluster changed goes to backoff, not to the parked set', async () => {
    q = new SchedulingQueue();
    q.add(info('a'));
    const a = await q.pop();
    q.moveAllToActiveOrBackoff();
    q.unschedulableAgain(a!.key);
    const p = await Promise.race([q.pop(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 3000))]);
    expect(p?.key).toBe('default/a');
  });

  it('holds a timer only while a pod waits in backoff or parked (an idle scheduler does not wake up)', async () => {
    vi.useFakeTimers();
    try {
      q = new SchedulingQueue();
      expect(vi.getTimerCount()).toBe(0);
      q.add(info('a'));
      const a = await q.pop();
      q.retry(a!.key);
      expect(vi.getTimerCount()).toBe(1);
      const next = q.pop();
      await vi.advanceTimersByTimeAsync(1250);
      expect((await next)?.key).toBe('default/a');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
