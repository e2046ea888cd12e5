import { describe, expect, it } from 'vitest';
import { BoundedRunner } from '../../../vm-images/agent/proxy/bounded-runner';

describe('BoundedRunner', () => {
  it('coalesces a burst into one run and spaces runs by the minimum interval', async () => {
    const starts: number[] = [];
    const r = new BoundedRunner(async () => { starts.push(Date.now()); }, 150, () => undefined);
    for (let i = 0; i < 20; i++) r.request();
    await expect.poll(() => starts.length, { timeout: 2000, interval: 10 }).toBe(1);
    r.request();
    r.request();
    await expect.poll(() => starts.length, { timeout: 2000, interval: 10 }).toBe(2);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(145);
    await r.stop();
  });

  it('never overlaps runs; runNow waits for the run in progress and then runs', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: (() => void) | undefined;
    const gate = new Promise<void>((res) => { release = res; });
    const r = new BoundedRunner(async () => {
      active++; maxActive = Math.max(maxActive, active); runs++;
      if (runs === 1) await gate;
      active--;
    }, 0, () => undefined);
    r.request();
    await expect.poll(() => runs, { timeout: 2000, interval: 5 }).toBe(1);
    const now = r.runNow();
    release?.();
    await now;
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
    await r.stop();
  });

  it('reports failures of scheduled runs, rejects runNow, and keeps working', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const r = new BoundedRunner(async () => { if (fail) throw new Error('boom'); }, 0, (e) => errors.push(e));
    r.request();
    await expect.poll(() => errors.length, { timeout: 2000, interval: 5 }).toBe(1);
    await expect(r.runNow()).rejects.toThrow('boom');
    fail = false;
    await expect(r.runNow()).resolves.toBeUndefined();
    await r.stop();
    r.request(); // ignored after stop
  });
});
