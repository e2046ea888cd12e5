// The scheduling queue: activeQ (pods to try now, higher priority first and FIFO within a priority,
// as PrioritySort orders it), backoffQ (pods that failed, waiting
// 1 s doubling to 10 s), and unschedulable pods parked until the cluster changes (a node added or
// updated, a pod deleted) or 5 minutes pass — never retried in a busy loop. A change can come with a
// queueing hint (kube-scheduler's QueueingHint): the parked pods it cannot help stay parked, so a pod is not
// tried, and its back-off not lengthened, at every change of a node it cannot go to.
import type { PodInfo } from './types';

const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

interface Entry {
  info: PodInfo;
  attempts: number;
  /** When it may leave backoff. */
  readyAt: number;
  parkedAt: number;
  /** The move counter when it was popped. */
  poppedAt: number;
  /** The Filter plugins that rejected it in its last attempt (empty: no node, or not known). */
  rejectedBy: ReadonlySet<string>;
  /** Its last attempt ended in an error (a failed binding), not a rejection: it waits out its back-off. */
  failed: boolean;
}

/** A queueing hint: true when the change cannot make this parked pod schedulable (QueueSkip). */
export type QueueSkip = (info: PodInfo, rejectedBy: ReadonlySet<string>) => boolean;

const NONE: ReadonlySet<string> = new Set();

/** One priority's FIFO. */
interface Bucket {
  items: Entry[];
  head: number;
}

export class SchedulingQueue {
  private readonly buckets = new Map<number, Bucket>();
  /** Priorities with a bucket, highest first. */
  private priorities: number[] = [];
  private activeCount = 0;
  private readonly activeKeys = new Map<string, Entry>();
  private readonly backoff = new Map<string, Entry>();
  private readonly unschedulable = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Entry>();
  private waiter: ((e: Entry | undefined) => void) | undefined;
  private moveCycle = 0;
  private closed = false;
  /** Flushes backoff and unschedulable every 250 ms, only while either holds a pod (an idle scheduler has no timer). */
  private timer: NodeJS.Timeout | undefined;

  get pendingCount(): number {
    return this.activeCount + this.backoff.size + this.unschedulable.size;
  }

  /** The sub-queues' sizes (kube-scheduler's scheduler_pending_pods{queue}). */
  counts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeCount, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** A new or changed pending pod. */
  add(info: PodInfo): void {
    const k = info.key;
    const inActive = this.activeKeys.get(k);
    if (inActive) {
      inActive.info = info;
      return;
    }
    const fl = this.inFlight.get(k);
    if (fl) {
      fl.info = info;
      return;
    }
    const parked = this.unschedulable.get(k) ?? this.backoff.get(k);
    if (parked) {
      parked.info = info;
      // A changed pod may fit now: try it again (respecting backoff).
      if (this.unschedulable.delete(k)) this.toBackoffOrActive(parked);
      return;
    }
    this.pushActive({ info, attempts: 0, readyAt: 0, parkedAt: 0, poppedAt: 0, rejectedBy: NONE, failed: false });
  }

  delete(key: string): void {
    const e = this.activeKeys.get(key);
    if (e) {
      this.activeKeys.delete(key);
      e.info = { ...e.info, key: '' }; // tombstone: pop skips it
    }
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /**
   * The next pod to schedule; undefined when closed. With nothing active, a pod a cluster change moved to back-off
   * is taken before its back-off ends (kube-scheduler's SchedulerPopFromBackoffQ): an idle scheduler does not wait.
   */
  pop(): Promise<PodInfo | undefined> {
    for (let e = this.shiftActive(); e; e = this.shiftActive()) {
      if (!e.info.key) continue;
      this.activeKeys.delete(e.info.key);
      return Promise.resolve(this.startAttempt(e));
    }
    if (this.closed) return Promise.resolve(undefined);
    const early = this.earliestRejected();
    if (early) {
      this.backoff.delete(early.info.key);
      return Promise.resolve(this.startAttempt(early));
    }
    return new Promise((resolve) => {
      this.waiter = (e) => resolve(e ? this.startAttempt(e) : undefined);
    });
  }

  /** The attempt is over (bound, or gave up because the pod went away). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** The pod fits nowhere (these Filter plugins rejected it): park it until something changes. */
  unschedulableAgain(key: string, rejectedBy: ReadonlySet<string> = NONE): void {
    const e = this.inFlight.get(key);
    if (!e) return;
    this.inFlight.delete(key);
    e.rejectedBy = rejectedBy;
    e.failed = false;
    e.readyAt = Date.now() + backoffFor(e.attempts);
    e.parkedAt = Date.now();
    // Something changed while it was being scheduled: retry after backoff instead of parking.
    if (this.moveCycle > e.poppedAt) this.backoff.set(key, e);
    else this.unschedulable.set(key, e);
    this.arm();
  }

  /** Binding failed or an error happened: retry after backoff. */
  retry(key: string): void {
    const e = this.inFlight.get(key);
    if (!e) return;
    this.inFlight.delete(key);
    e.failed = true;
    e.readyAt = Date.now() + backoffFor(e.attempts);
    this.backoff.set(key, e);
    this.arm();
  }

  /**
   * A cluster event that may make unschedulable pods fit; with a hint, the pods it says the event cannot help stay
   * parked. A pod being scheduled meanwhile is retried after its back-off whatever the hint (as it would miss the event).
   */
  moveAllToActiveOrBackoff(skip?: QueueSkip): void {
    this.moveCycle++;
    if (!this.unschedulable.size) return;
    for (const [k, e] of this.unschedulable) {
      if (skip?.(e.info, e.rejectedBy)) continue;
      this.unschedulable.delete(k);
      this.toBackoffOrActive(e);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.(undefined);
  }

  private startAttempt(e: Entry): PodInfo {
    e.attempts++;
    e.poppedAt = this.moveCycle;
    this.inFlight.set(e.info.key, e);
    return e.info;
  }

  private toBackoffOrActive(e: Entry): void {
    // The scheduler waits with nothing to do: a rejected pod goes now rather than after its back-off.
    if (e.readyAt > Date.now() && !(this.waiter && !e.failed)) {
      this.backoff.set(e.info.key, e);
      this.arm();
    } else this.pushActive(e);
  }

  /** The rejected (not failed) pod in back-off whose back-off ends first. */
  private earliestRejected(): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.backoff.values()) if (!e.failed && (!best || e.readyAt < best.readyAt)) best = e;
    return best;
  }

  private arm(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.flush(), 250);
    this.timer.unref?.();
  }

  private pushActive(e: Entry): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(e);
      return;
    }
    const prio = e.info.priority;
    let b = this.buckets.get(prio);
    if (!b) {
      this.buckets.set(prio, (b = { items: [], head: 0 }));
      this.priorities.push(prio);
      this.priorities.sort((x, y) => y - x);
    }
    b.items.push(e);
    this.activeCount++;
    this.activeKeys.set(e.info.key, e);
  }

  /** The oldest entry of the highest priority (possibly a tombstone), or undefined. */
  private shiftActive(): Entry | undefined {
    while (this.priorities.length) {
      const prio = this.priorities[0];
      const b = this.buckets.get(prio);
      if (b && b.head < b.items.length) {
        const e = b.items[b.head++];
        this.activeCount--;
        if (b.head > 4096 && b.head * 2 > b.items.length) {
          b.items = b.items.slice(b.head);
          b.head = 0;
        }
        return e;
      }
      this.buckets.delete(prio);
      this.priorities.shift();
    }
    return undefined;
  }

  private flush(): void {
    const now = Date.now();
    for (const [k, e] of this.backoff) {
      if (e.readyAt <= now) {
        this.backoff.delete(k);
        this.pushActive(e);
      }
    }
    for (const [k, e] of this.unschedulable) {
      if (now - e.parkedAt > MAX_UNSCHEDULABLE_MS) {
        this.unschedulable.delete(k);
        this.pushActive(e);
      }
    }
    if (!this.backoff.size && !this.unschedulable.size) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

function backoffFor(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}
