// The contract of the revisioned key-value store (kine-style, on SQLite). It knows nothing of
// Kubernetes: keys are strings, values are JSON text, every write gets the next revision.

/** One key's current value, with etcd-like revisions. */
export interface KV {
  key: string;
  value: string;
  /** Revision of the write that created this key (stays across updates). */
  createRevision: number;
  /** Revision of the write that produced this value. */
  modRevision: number;
}

export interface StoreEvent {
  type: 'PUT' | 'DELETE';
  key: string;
  /** Revision of this write. */
  revision: number;
  createRevision: number;
  /** The value after the write (PUT) — for DELETE, the last value before it. */
  value: string;
  /** The value before the write; undefined for a create. */
  prevValue?: string;
  /** The revision of `prevValue` (for a PUT that replaced a value). */
  prevRevision?: number;
  /** True when this PUT created the key. */
  created: boolean;
}

export interface ListOptions {
  /** Read the state as it was at this revision (must not be compacted). Default: now. */
  revision?: number;
  /** Only keys strictly greater than this one (for paging). */
  startAfter?: string;
  /** At most this many items; `more` tells whether there were others. */
  limit?: number;
}

export interface ListResult {
  items: KV[];
  /** The revision the list reflects. */
  revision: number;
  more: boolean;
}

export type StoreErrorCode = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'Closed' | 'NoSpace';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Conflict: the key's current modRevision. For Compacted: the compacted revision. */
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export type WatchCallback = (events: StoreEvent[]) => void;

export interface Store {
  /** The newest revision written. */
  readonly revision: number;
  /** Revisions at or below this one may have lost history. */
  readonly compactRevision: number;

  get(key: string): KV | undefined;
  list(prefix: string, opts?: ListOptions): ListResult;
  /** Count of current keys under a prefix. */
  count(prefix: string): number;

  /**
   * Writes. Writes that arrive in the same tick share one SQLite transaction (group commit);
   * each resolves once its transaction is durable (survives kill -9 of this process).
   */
  create(key: string, value: string): Promise<KV>;
  /** Compare-and-swap: fails with Conflict unless the key's modRevision equals expectedRevision (when given). */
  update(key: string, value: string, expectedRevision?: number): Promise<KV>;
  /** Resolves with the deleted value; its modRevision is the revision of the delete. */
  delete(key: string, expectedRevision?: number): Promise<KV>;

  /**
   * Events under `prefix` with revision > fromRevision: first replayed from the log, then live,
   * delivered in revision order. Throws StoreError('Compacted') when fromRevision is too old.
   * Returns a disposer.
   */
  watch(prefix: string, fromRevision: number, cb: WatchCallback): () => void;

  /** Drop history up to and including `revision` (current values are kept). */
  compact(revision: number): void;

  close(): void;
}
