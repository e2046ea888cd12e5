// Live delivery of committed events to watchers. Watchers are grouped by prefix; an event finds
// its groups with one Map lookup per distinct prefix length, so hundreds of watchers on one
// prefix cost one lookup per event, not one per watcher.
import type { StoreEvent, WatchCallback } from './types';

export class Watcher {
  active = true;
  /** Batches waiting while the replay is still to be delivered; null once live. */
  private backlog: StoreEvent[][] | null = [];

  constructor(
    readonly prefix: string,
    /** Only events with a revision above this one are delivered live (the replay covered the rest). */
    readonly after: number,
    private readonly cb: WatchCallback,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Delivers the replay, then whatever arrived meanwhile, then goes live. */
  start(replay: StoreEvent[]): void {
    const backlog = this.backlog;
    if (backlog === null) return;
    if (replay.length > 0) backlog.unshift(replay);
    // Batches published by a callback (close() flushes synchronously) join the backlog: order holds.
    for (let i = 0; i < backlog.length && this.active; i++) this.call(backlog[i]);
    this.backlog = null;
  }

  deliver(events: StoreEvent[]): void {
    if (!this.active) return;
    let batch = events;
    if (batch[batch.length - 1].revision <= this.after) return;
    if (batch[0].revision <= this.after) batch = batch.filter((e) => e.revision > this.after);
    if (this.backlog !== null) this.backlog.push(batch);
    else this.call(batch);
  }

  private call(batch: StoreEvent[]): void {
    try {
      this.cb(batch);
    } catch (err) {
      this.onError(err);
    }
  }
}

export class WatchHub {
  private readonly groups = new Map<string, Set<Watcher>>();
  /** Distinct prefix lengths among groups → how many groups have that length. */
  private readonly lengths = new Map<number, number>();
  private readonly pending: StoreEvent[][] = [];
  private publishing = false;
  /** Events handed to watchers since start, each counted once per watcher it reached (etcd's watch fan-out). */
  delivered = 0;

  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.size;
    return n;
  }

  add(w: Watcher): void {
    let group = this.groups.get(w.prefix);
    if (!group) {
      group = new Set();
      this.groups.set(w.prefix, group);
      this.lengths.set(w.prefix.length, (this.lengths.get(w.prefix.length) ?? 0) + 1);
    }
    group.add(w);
  }

  remove(w: Watcher): void {
    w.active = false;
    const group = this.groups.get(w.prefix);
    if (!group?.delete(w) || group.size > 0) return;
    this.groups.delete(w.prefix);
    const n = (this.lengths.get(w.prefix.length) ?? 1) - 1;
    if (n === 0) this.lengths.delete(w.prefix.length);
    else this.lengths.set(w.prefix.length, n);
  }

  /** Delivers one commit's events (in revision order) to every matching watcher, batched per watcher. */
  publish(events: StoreEvent[]): void {
    if (this.groups.size === 0 || events.length === 0) return;
    this.pending.push(events);
    if (this.publishing) return; // a callback caused this; the loop below gets to it in order
    this.publishing = true;
    try {
      for (let i = 0; i < this.pending.length; i++) this.publishOne(this.pending[i]);
    } finally {
      this.pending.length = 0;
      this.publishing = false;
    }
  }

  private publishOne(events: StoreEvent[]): void {
    const matched = new Map<Set<Watcher>, StoreEvent[]>();
    for (const event of events) {
      const key = event.key;
      for (const len of this.lengths.keys()) {
        if (len > key.length) continue;
        const group = this.groups.get(len === key.length ? key : key.slice(0, len));
        if (!group) continue;
        const list = matched.get(group);
        if (list) list.push(event);
        else matched.set(group, [event]);
      }
    }
    for (const [group, list] of matched) {
      Object.freeze(list);
      this.delivered += list.length * group.size;
      // A copy: watchers added or removed by a callback do not disturb this round.
      for (const w of [...group]) w.deliver(list);
    }
  }
}
