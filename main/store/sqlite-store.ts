// The store: a kine-style log in SQLite (log-db.ts) with the current state in memory
// (state-index.ts), group commit of writes (write-batch.ts) and in-process watch (watch-hub.ts).
//
// Revisions: a fresh store has `revision` 0; the first write gets revision 1 and every accepted
// write the next one, with no holes, across reopen. A rejected write (Conflict, NotFound, …)
// consumes no revision.
//
// Semantics worth knowing:
// - Writes queue and flush on setImmediate as one transaction; each is checked in call order
//   against the state as the batch goes. After COMMIT: the in-memory state is updated, watchers
//   are called (synchronously), then the promises settle. A failed transaction rejects the whole
//   batch with the SQLite error and uses no revision; a full disk (SQLITE_FULL) as StoreError NoSpace
//   naming the data dir (no-space.ts). Reads, watches and later batches go on as before.
// - Durability: WAL + synchronous=NORMAL — an acknowledged write survives kill -9 of this process
//   (not a power cut). The file is opened in EXCLUSIVE locking mode: one process per store.
// - list(): `limit` <= 0 or absent means all; `revision` below compactRevision throws Compacted,
//   above `revision` throws RangeError; at compactRevision it is still exact.
// - watch(): the replay (events after fromRevision up to the current revision) arrives as one
//   batch in a microtask after watch() returns; live batches (one per commit) follow without gap
//   or duplicate. fromRevision above the current revision waits for that revision. Batches and
//   events are frozen and shared between watchers. A throwing callback goes to onWatchError.
// - compact(rev) clamps rev to the current revision; a rev at or below compactRevision is a no-op.
// - Keys are any strings not containing U+10FFFF; lists are in code point (= UTF-8 byte) order.
import { LogDb, type DbSpace } from './log-db';
import { StateIndex } from './state-index';
import { StoreError, type KV, type ListOptions, type ListResult, type Store, type WatchCallback } from './types';
import { WatchHub, Watcher } from './watch-hub';
import { planBatch, type WriteRequest } from './write-batch';
import { noSpace } from './no-space';

export interface OpenStoreOptions {
  /** The SQLite file (created when missing). */
  path: string;
  /** Revisions of history kept by auto-compaction. Default 10000. */
  compactWindow?: number;
  /** Auto-compaction period in ms. Default 60000; 0 disables. */
  autoCompactMs?: number;
  /** Revisions one compaction step covers (one transaction, at most twice as many rows deleted). Default 200. */
  compactBatch?: number;
  /** Called when a watch callback throws. Default: console.error. */
  onWatchError?: (err: unknown) => void;
}

export interface StoreStats {
  /** SQLite write transactions committed by group commit. */
  transactions: number;
  /** Rows written (accepted writes). */
  writes: number;
}

export interface SqliteStore extends Store {
  readonly stats: Readonly<StoreStats>;
  /** When a revision was written (ms since the epoch; revisions of one transaction share it); undefined when unknown, as below the compact revision. */
  revisionTime(revision: number): number | undefined;
  /** Live watchers (for diagnostics and tests). */
  readonly watcherCount: number;
  /** The database's page accounting (for the soak benchmark and diagnostics). */
  space(): DbSpace;
  /**
   * One bounded step of compact(revision): one transaction over at most `batch` revisions (default `compactBatch`)
   * from the compact revision. Each step leaves a compacted store (compactRevision moves up to `to`); `done` once at
   * the target.
   */
  compactStep(revision: number, batch?: number): CompactStep;
  /**
   * Gives free pages back to the file system, at most `pages` a call, once more than a third of the pages in use are
   * free and until a sixth are; returns how many (0: nothing more to give back).
   */
  vacuumStep(pages: number): number;
  /** Copies the WAL into the database and truncates it. */
  checkpoint(): void;
  /** Events delivered to watchers since the store opened, each once per watcher it reached. */
  readonly watchEventsDelivered: number;
  /** When the store last compacted in this process (ms since the epoch); undefined: not since it opened. */
  readonly lastCompactionAt: number | undefined;
}

export interface CompactStep {
  /** The compact revision after the step. */
  to: number;
  /** Log rows deleted. */
  rows: number;
  done: boolean;
}

interface Pending {
  request: WriteRequest;
  resolve: (kv: KV) => void;
  reject: (err: unknown) => void;
}

export function openStore(opts: OpenStoreOptions): SqliteStore {
  return new SqliteStoreImpl(opts);
}

class SqliteStoreImpl implements SqliteStore {
  readonly stats: StoreStats = { transactions: 0, writes: 0 };
  private readonly db: LogDb;
  private readonly state: StateIndex;
  private readonly hub = new WatchHub();
  private readonly onWatchError: (err: unknown) => void;
  private readonly compactWindow: number;
  private readonly compactBatch: number;
  /** Giving free pages back, until a sixth of the pages in use are free. */
  private vacuuming = false;
  private rev: number;
  private compactRev: number;
  private lastCompactAt: number | undefined;
  private queue: Pending[] = [];
  private flushHandle: NodeJS.Immediate | undefined;
  private compactTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly path: string;

  constructor(opts: OpenStoreOptions) {
    this.path = opts.path;
    this.db = new LogDb(opts.path);
    try {
      this.compactRev = this.db.compactRevision();
      // A compaction may have removed the newest row (a tombstone) when it compacted everything.
      this.rev = Math.max(this.db.maxRevision(), this.compactRev);
      this.state = StateIndex.fromSorted(this.db.currentState());
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.onWatchError = opts.onWatchError ?? ((err) => console.error('store: watch callback failed:', err));
    this.compactWindow = opts.compactWindow ?? 10_000;
    this.compactBatch = Math.max(1, opts.compactBatch ?? 200);
    const every = opts.autoCompactMs ?? 60_000;
    if (every > 0) {
      this.compactTimer = setInterval(() => this.autoCompact(), every);
      this.compactTimer.unref();
    }
  }

  get revision(): number {
    return this.rev;
  }

  get compactRevision(): number {
    return this.compactRev;
  }

  get watcherCount(): number {
    return this.hub.size;
  }

  /** Events delivered to watchers since the store opened, each once per watcher it reached. */
  get watchEventsDelivered(): number {
    return this.hub.delivered;
  }

  /** When compact() last compacted something in this process (ms since the epoch); undefined: not since the store opened. */
  get lastCompactionAt(): number | undefined {
    return this.lastCompactAt;
  }

  space(): DbSpace {
    this.assertOpen();
    return this.db.space();
  }

  revisionTime(revision: number): number | undefined {
    this.assertOpen();
    // Compaction deletes the times below the compact revision: the first time left above would be a later write's
    // (an Event's last write would seem to move forward with every compaction, and it would never expire).
    if (revision < 1 || revision > this.rev || revision < this.compactRev) return undefined;
    return this.db.revisionTime(revision);
  }

  get(key: string): KV | undefined {
    this.assertOpen();
    return this.state.get(key);
  }

  list(prefix: string, opts: ListOptions = {}): ListResult {
    this.assertOpen();
    const { revision, startAfter, limit } = opts;
    if (revision === undefined || revision === this.rev) {
      const page = this.state.list(prefix, startAfter, limit);
      return { items: page.items, more: page.more, revision: this.rev };
    }
    if (revision < this.compactRev) {
      throw new StoreError('Compacted', `revision ${revision} is compacted (compact revision ${this.compactRev})`, this.compactRev);
    }
    if (revision > this.rev || revision < 0) {
      throw new RangeError(`store: revision ${revision} is not in 0..${this.rev}`);
    }
    const max = limit !== undefined && limit > 0 ? limit : 0;
    const items = this.db.listAt(prefix, revision, startAfter, max > 0 ? max + 1 : 0);
    const more = max > 0 && items.length > max;
    if (more) items.length = max;
    return { items: items.map((kv) => Object.freeze(kv)), more, revision };
  }

  count(prefix: string): number {
    this.assertOpen();
    return this.state.count(prefix);
  }

  create(key: string, value: string): Promise<KV> {
    return this.enqueue({ op: 'create', key, value });
  }

  update(key: string, value: string, expectedRevision?: number): Promise<KV> {
    return this.enqueue({ op: 'update', key, value, expectedRevision });
  }

  delete(key: string, expectedRevision?: number): Promise<KV> {
    return this.enqueue({ op: 'delete', key, expectedRevision });
  }

  watch(prefix: string, fromRevision: number, cb: WatchCallback): () => void {
    this.assertOpen();
    if (fromRevision < this.compactRev) {
      throw new StoreError(
        'Compacted',
        `watch from revision ${fromRevision}: history up to ${this.compactRev} is compacted`,
        this.compactRev,
      );
    }
    // Read the replay and register in the same synchronous step: no commit can fall between, so
    // live delivery starts exactly after the replay's last revision.
    const upTo = this.rev;
    const replay = fromRevision < upTo ? this.db.events(prefix, fromRevision, upTo) : [];
    const watcher = new Watcher(prefix, Math.max(fromRevision, upTo), cb, this.onWatchError);
    this.hub.add(watcher);
    // Deliver after watch() has returned its disposer; live batches meanwhile wait behind the replay.
    queueMicrotask(() => watcher.start(replay));
    return () => this.hub.remove(watcher);
  }

  compact(revision: number): void {
    while (!this.compactStep(revision).done);
  }

  compactStep(revision: number, batch = this.compactBatch): CompactStep {
    this.assertOpen();
    const target = Math.min(revision, this.rev);
    if (target <= this.compactRev) return { to: this.compactRev, rows: 0, done: true };
    const to = Math.min(target, this.compactRev + Math.max(1, Math.floor(batch)));
    const rows = this.db.compact(this.compactRev, to);
    this.compactRev = to;
    this.lastCompactAt = Date.now();
    return { to, rows, done: to === target };
  }

  vacuumStep(pages: number): number {
    this.assertOpen();
    const { pages: all, freePages } = this.db.space();
    const inUse = all - freePages;
    // Free pages are reused by the next writes: given back only beyond a third of the pages in use (a burst of
    // deletes), down to a sixth, so that steady churn does not shrink and regrow the file at every compaction.
    if (!this.vacuuming && freePages * 3 <= inUse) return 0;
    const excess = freePages - Math.floor(inUse / 6);
    this.vacuuming = excess > 0;
    return excess > 0 ? this.db.vacuumStep(Math.min(pages, excess)) : 0;
  }

  checkpoint(): void {
    this.assertOpen();
    this.db.checkpoint();
  }

  close(): void {
    if (this.closed) return;
    if (this.flushHandle !== undefined) clearImmediate(this.flushHandle);
    this.flush();
    this.closed = true;
    if (this.compactTimer !== undefined) clearInterval(this.compactTimer);
    this.db.close();
  }

  private enqueue(request: WriteRequest): Promise<KV> {
    if (this.closed) return Promise.reject(new StoreError('Closed', `store is closed (${request.op} ${request.key})`));
    return new Promise<KV>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length === 1) this.flushHandle = setImmediate(() => this.flush());
    });
  }

  /** Commits every queued write in one transaction, then notifies watchers and settles promises. */
  private flush(): void {
    this.flushHandle = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const plan = planBatch(
      batch.map((p) => p.request),
      (key) => this.state.get(key),
      this.rev,
    );
    if (plan.rows.length > 0) {
      try {
        this.db.append(plan.rows, Date.now());
      } catch (err) {
        // Rolled back: nothing changed, no revision used; the connection and the next batch are unaffected.
        const reason = noSpace(err, this.path);
        for (const p of batch) p.reject(reason);
        return;
      }
      this.stats.transactions++;
      this.stats.writes += plan.rows.length;
      this.rev = plan.revision;
      for (const [key, kv] of plan.changes) {
        if (kv) this.state.set(kv);
        else this.state.remove(key);
      }
      this.hub.publish(plan.events);
    }
    plan.outcomes.forEach((outcome, i) => {
      if (outcome instanceof StoreError) batch[i].reject(outcome);
      else batch[i].resolve(outcome);
    });
  }

  private autoCompact(): void {
    if (this.closed) return;
    const target = this.rev - this.compactWindow;
    try {
      if (target > this.compactRev) this.compact(target);
    } catch {
      // A full disk (or another failed transaction): rolled back; the next period tries again.
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('Closed', 'store is closed');
  }
}
