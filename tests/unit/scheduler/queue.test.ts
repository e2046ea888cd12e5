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

  it('parks unschedulable pods until something changes; then an idle scheduler takes them at once, a busy one after back-off', async () => {
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
    // The scheduler waits with nothing to do: the moved pod goes before its 1 s back-off ends (SchedulerPopFromBackoffQ).
    q.moveAllToActiveOrBackoff();
    await new Promise((r) => setImmediate(r));
    expect(popped).toBe('default/a');
    // Parked again and moved while nothing waits: it sits in back-off, and the next pop takes it early.
    q.unschedulableAgain('default/a');
    q.moveAllToActiveOrBackoff();
    expect(q.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 0 });
    expect((await q.pop())?.key).toBe('default/a');
    // A failed binding waits out its back-off (2 s after a second attempt) even with nothing else to do.
    const t0 = Date.now();
    q.retry('default/a');
    const again = await Promise.race([q.pop(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    expect(again?.key).toBe('default/a');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
  });

  it('keeps parked the pods a change\'s queueing hint says it cannot help, and moves the others', async () => {
    vi.useFakeTimers();
    try {
      q = new SchedulingQueue();
      q.add(info('tainted'));
      q.add(info('other'));
      const t = await q.pop();
      q.unschedulableAgain(t!.key, new Set(['TaintToleration']));
      const o = await q.pop();
      q.unschedulableAgain(o!.key, new Set(['NodeResourcesFit']));
      const seen: Array<[string, string[]]> = [];
      // A node whose taints the pods still do not tolerate: TaintToleration says QueueSkip.
      q.moveAllToActiveOrBackoff((i, by) => { seen.push([i.key, [...by]]); return by.has('TaintToleration'); });
      expect(seen).toEqual([['default/tainted', ['TaintToleration']], ['default/other', ['NodeResourcesFit']]]);
      expect(q.counts()).toEqual({ active: 0, backoff: 1, unschedulable: 1 });
      await vi.advanceTimersByTimeAsync(1250);
      expect((await q.pop())?.key).toBe('default/other');
      // The taint goes: the parked pod moves, after the 1 s back-off of its one attempt (not a longer one).
      q.moveAllToActiveOrBackoff(() => false);
      expect(q.counts()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
      expect((await q.pop())?.key).toBe('default/tainted');
    } finally {
      vi.useRealTimers();
    }
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
