// A work queue as client-go's (util/workqueue): keys are deduplicated (a key waiting is queued
// once; a key being processed is re-queued after done()), delayed adds keep the earliest time,
// retries back off exponentially per key, and retries overall are rate limited by a token bucket.

import type { WorkQueueMetrics } from '../protocol/queue-metrics';

export interface WorkQueueOptions {
  /** Reported to on adds, retries and finished work (`runWorkers` times each key). */
  metrics?: WorkQueueMetrics;
  /** First retry delay (ms); doubles per failure of the same key. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Token bucket for rate-limited adds: sustained rate and burst. */
  qps?: number;
  burst?: number;
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly timers = new Map<K, { timer: NodeJS.Timeout; at: number }>();
  private readonly waiters: Array<(k: K | undefined) => void> = [];
  private readonly drainWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private lastRefill = Date.now();
  readonly metrics: WorkQueueMetrics | undefined;

  constructor(opts: WorkQueueOptions = {}) {
    this.metrics = opts.metrics;
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.qps = opts.qps ?? 50;
    this.burst = opts.burst ?? 500;
    this.tokens = this.burst;
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.metrics?.added();
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
      return;
    }
    this.queue.push(key);
  }

  /** Adds the key after `ms`; if the key is already waiting, the earlier of the two times wins (client-go's delaying queue). */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const waiting = this.timers.get(key);
    if (waiting) {
      if (waiting.at <= at) return;
      clearTimeout(waiting.timer);
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.timers.set(key, { timer, at });
  }

  /** Re-adds a key that failed: per-key exponential backoff, and the overall token bucket. */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.metrics?.retried();
    const itemDelay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n);
    this.addAfter(key, Math.max(itemDelay, this.bucketDelay()));
  }

  /** Forgets a key's failures (call after a successful sync). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key, or undefined once the queue shuts down. Call done(key) when finished. */
  get(): Promise<K | undefined> {
    if (this.head < this.queue.length) {
      const k = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(k);
      this.processing.add(k);
      return Promise.resolve(k);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
    if (!this.length && !this.processing.size) for (const r of this.drainWaiters.splice(0)) r();
  }

  /** Resolves once nothing is queued or being processed (delayed adds still waiting do not count). */
  drained(): Promise<void> {
    if (!this.length && !this.processing.size) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
    for (const r of this.drainWaiters.splice(0)) r();
  }

  private bucketDelay(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.qps);
    this.lastRefill = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
}

/**
 * Runs `workers` loops taking keys from the queue and calling sync; a throw re-queues the key
 * rate-limited, success forgets its failures. Returns a disposer that shuts the queue down.
 */
export function runWorkers<K>(queue: WorkQueue<K>, workers: number, sync: (key: K) => Promise<void>, onError?: (key: K, e: unknown) => void): () => void {
  const loop = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const started = queue.metrics ? performance.now() : 0;
      try {
        await sync(key);
        queue.forget(key);
      } catch (e) {
        onError?.(key, e);
        queue.addRateLimited(key);
      } finally {
        queue.metrics?.workDone((performance.now() - started) / 1000);
        queue.done(key);
      }
    }
  };
  for (let i = 0; i < workers; i++) void loop();
  return () => queue.shutdown();
}
