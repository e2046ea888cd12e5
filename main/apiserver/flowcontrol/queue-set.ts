// One priority level's seats and queues, after kube-apiserver's queueset: a request runs at once when a seat is
// free and nobody waits; otherwise it joins the shortest of its flow's queues (shuffle sharding: the flow's hash
// deals it `handSize` of the level's queues), or is rejected when that queue is full. Freed seats go to the queues
// in turn (round robin over the non-empty queues: each queue, so each flow, gets an equal share of the dispatches;
// kube-apiserver orders them by virtual finish time, which with one seat per request comes to the same).
// A request waits at most the wait limit ('time-out'), and leaves its queue when its client goes ('cancelled').
import type { QueuingConfiguration } from './config';

export type RejectReason = 'queue-full' | 'concurrency-limit' | 'time-out' | 'cancelled';

export interface QueuedRequest {
  /** It holds a seat now; the level's release() gives it back. */
  start(): void;
  reject(reason: RejectReason): void;
}

interface Entry {
  req: QueuedRequest;
  queue: number;
  timer: NodeJS.Timeout;
}

/**
 * The `hand` distinct queue indices of `deck` that `hash` deals (shuffle sharding, as k8s.io/apiserver's
 * shufflesharding.Dealer): mixed-radix digits of the hash pick among the cards not yet dealt.
 */
export function deal(hash: bigint, deck: number, hand: number): number[] {
  const left = Array.from({ length: deck }, (_, i) => i);
  const out: number[] = [];
  let v = hash;
  for (let i = 0; i < hand && left.length > 0; i++) {
    const n = BigInt(left.length);
    out.push(left.splice(Number(v % n), 1)[0]);
    v /= n;
  }
  return out;
}

export class QueueSet {
  private running = 0;
  private waitingCount = 0;
  private readonly queues: Entry[][];
  private robin = -1;

  constructor(
    /** The level's nominal concurrency limit (seats). */
    readonly limit: number,
    private readonly queuing: QueuingConfiguration | undefined,
    private readonly waitLimitMs: number,
  ) {
    this.queues = Array.from({ length: queuing?.queues ?? 0 }, () => []);
  }

  get executing(): number {
    return this.running;
  }

  get waiting(): number {
    return this.waitingCount;
  }

  /** The length of each queue (for tests and diagnostics). */
  queueLengths(): number[] {
    return this.queues.map((q) => q.length);
  }

  /** Runs, queues or rejects the request; returns how to withdraw it while it waits (its client went away). */
  /** `flowHash` is asked for only when the request has to queue. */
  submit(flowHash: bigint | (() => bigint), req: QueuedRequest): () => void {
    if (this.running < this.limit && this.waitingCount === 0) {
      this.running++;
      req.start();
      return () => undefined;
    }
    if (!this.queuing) {
      req.reject('concurrency-limit');
      return () => undefined;
    }
    const hand = deal(typeof flowHash === 'bigint' ? flowHash : flowHash(), this.queues.length, this.queuing.handSize);
    const queue = hand.reduce((best, i) => (this.queues[i].length < this.queues[best].length ? i : best), hand[0]);
    if (this.queues[queue].length >= this.queuing.queueLengthLimit) {
      req.reject('queue-full');
      return () => undefined;
    }
    const entry: Entry = { req, queue, timer: setTimeout(() => this.withdraw(entry, 'time-out'), this.waitLimitMs) };
    this.queues[queue].push(entry);
    this.waitingCount++;
    return () => this.withdraw(entry, 'cancelled');
  }

  /** A request that held a seat is done: the seat goes to the next queue in turn. */
  release(): void {
    this.running--;
    this.dispatch();
  }

  private withdraw(entry: Entry, reason: RejectReason): void {
    const q = this.queues[entry.queue];
    const at = q.indexOf(entry);
    if (at < 0) return; // already dispatched
    q.splice(at, 1);
    clearTimeout(entry.timer);
    this.waitingCount--;
    entry.req.reject(reason);
  }

  private dispatch(): void {
    while (this.running < this.limit && this.waitingCount > 0) {
      let i = this.robin;
      do i = (i + 1) % this.queues.length; while (this.queues[i].length === 0);
      this.robin = i;
      const entry = this.queues[i].shift()!;
      clearTimeout(entry.timer);
      this.waitingCount--;
      this.running++;
      entry.req.start();
    }
  }
}
