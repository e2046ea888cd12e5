// Jittered delays: client-go's wait.Backoff steps drawn from [d/2, d), apimachinery's wait.Jitter from [d, d + f·d).
import { describe, expect, it } from 'vitest';
import { Backoff, jitter, jittered } from '../../../main/client/backoff';

describe('backoff delays', () => {
  it('jittered(d) stays in [d/2, d) and spreads over it', () => {
    const xs = Array.from({ length: 2000 }, () => jittered(1000));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...xs)).toBeLessThan(1000);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(400);
  });

  it('jitter(d, 0.5) stays in [d, 1.5 d) and spreads over it (the kubelet\'s pod worker resync)', () => {
    const xs = Array.from({ length: 2000 }, () => jitter(60_000, 0.5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...xs)).toBeLessThan(90_000);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(25_000);
  });

  it('jitter with a factor of 0 or less uses 1, as wait.Jitter', () => {
    const xs = Array.from({ length: 2000 }, () => jitter(100, 0));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...xs)).toBeLessThan(200);
    expect(Math.max(...xs)).toBeGreaterThan(180);
  });

  it('Backoff doubles to its cap and starts again after reset', () => {
    const b = new Backoff(100, 400);
    const d = [b.next(), b.next(), b.next(), b.next()];
    expect(d[0]).toBeGreaterThanOrEqual(50); expect(d[0]).toBeLessThan(100);
    expect(d[1]).toBeGreaterThanOrEqual(100); expect(d[1]).toBeLessThan(200);
    expect(d[2]).toBeGreaterThanOrEqual(200); expect(d[2]).toBeLessThan(400);
    expect(d[3]).toBeGreaterThanOrEqual(200); expect(d[3]).toBeLessThan(400);
    expect(b.attempts).toBe(4);
    b.reset();
    expect(b.next()).toBeLessThan(100);
  });
});
