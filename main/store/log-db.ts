// The SQLite side of the store: schema, pragmas and every statement. One table `log` holds every
// write, its id being the revision; `meta` holds the compact revision; `revision_time` the wall-clock time of each
// committed transaction (its last revision), so a revision's time is that of the first row at or above it.
// No caching here: callers (sqlite-store.ts) keep the current state in memory.
import Database from 'better-sqlite3';
import { compareKeys, prefixUpperBound } from './key-order';
import type { KV, StoreEvent } from './types';

// 3: auto_vacuum = INCREMENTAL, so that pages compaction frees go back to the file system (an older database is
// rebuilt once by VACUUM when opened).
const SCHEMA_VERSION = 3;
/** The WAL is checkpointed when it reaches this share of the pages in use (within the bounds below), and truncated to it. */
const WAL_SHARE = 0.5;
const WAL_MIN_PAGES = 64;
const WAL_MAX_PAGES = 512;
/** The WAL is sized again after this many appends too, so that it follows data that grows between checkpoints. */
const WAL_RESIZE_EVERY = 64;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id              INTEGER PRIMARY KEY,   -- the revision of this write
  key             TEXT    NOT NULL,
  value           TEXT    NOT NULL,      -- for a delete: the last value before it
  create_revision INTEGER NOT NULL,
  prev_revision   INTEGER NOT NULL,      -- revision of the value this write replaced; 0 for a create
  deleted         INTEGER NOT NULL       -- 1 for a delete (tombstone)
);
CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revision_time (revision INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL);
`;

/** The database's pages: `pages - freePages` of them hold rows and indexes, the free ones wait for reuse. */
export interface DbSpace {
  pageSize: number;
  pages: number;
  freePages: number;
}

/** One row to append; `id` is the revision. */
export interface LogRow {
  id: number;
  key: string;
  value: string;
  createRevision: number;
  prevRevision: number;
  deleted: boolean;
}

interface StateRow {
  key: string;
  value: string;
  create_revision: number;
  id: number;
}

interface EventRow {
  id: number;
  key: string;
  value: string;
  create_revision: number;
  deleted: number;
  prev_value: string | null;
  prev_revision: number;
}

type InsertParams = [number, string, string, number, number, number];
type RangeParams = [string, string, number, number];
type ListParams = [string, string, number, number];

export class LogDb {
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement<InsertParams>;
  private readonly appendAll: (rows: readonly LogRow[], atMs: number) => void;
  private readonly timeStmt: Database.Statement<[number], { at_ms: number }>;
  private readonly listFromStmt: Database.Statement<ListParams, StateRow>;
  private readonly listAfterStmt: Database.Statement<ListParams, StateRow>;
  private readonly eventsStmt: Database.Statement<RangeParams, EventRow>;
  private readonly compactRange: (from: number, to: number) => number;
  private walPages = 0;
  private appendsSinceSized = 0;

  constructor(path: string) {
    // A second process on the same file waits this long for the lock, then fails.
    // FLOTILLA_SQLITE_ADDON: better-sqlite3 built for Electron's ABI (set by main/index.ts; scripts/electron-native.mjs).
    this.db = new Database(path, { timeout: 1000, nativeBinding: process.env.FLOTILLA_SQLITE_ADDON || undefined });
    try {
      // WAL + NORMAL: a COMMIT reaches the WAL file (the OS keeps it if the process dies) without
      // an fsync per transaction. EXCLUSIVE: one process owns the store, so its in-memory state
      // is authoritative.
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (err) {
      this.db.close();
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_BUSY') {
        throw new Error(`store: ${path} is in use by another process (${err.message})`, { cause: err });
      }
      throw err;
    }
    this.insertStmt = this.db.prepare<InsertParams>(
      'INSERT INTO log (id, key, value, create_revision, prev_revision, deleted) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertTime = this.db.prepare<[number, number]>('INSERT OR REPLACE INTO revision_time (revision, at_ms) VALUES (?, ?)');
    this.appendAll = this.db.transaction((rows: readonly LogRow[], atMs: number) => {
      for (const r of rows) {
        this.insertStmt.run(r.id, r.key, r.value, r.createRevision, r.prevRevision, r.deleted ? 1 : 0);
      }
      if (rows.length > 0) insertTime.run(rows[rows.length - 1].id, atMs);
    });
    this.timeStmt = this.db.prepare<[number], { at_ms: number }>(
      'SELECT at_ms FROM revision_time WHERE revision >= ? ORDER BY revision LIMIT 1',
    );
    // The latest row of each key at or below the revision, streamed in key order off the
    // (key, id) index: no sort, so LIMIT stops early.
    const listSql = (lower: string): string =>
      `SELECT l.key, l.value, l.create_revision, l.id
         FROM (SELECT key, MAX(id) AS mid FROM log WHERE ${lower} AND key < ? AND id <= ? GROUP BY key ORDER BY key) m
        CROSS JOIN log l ON l.id = m.mid
        WHERE l.deleted = 0 ORDER BY m.key LIMIT ?`;
    this.listFromStmt = this.db.prepare<ListParams, StateRow>(listSql('key >= ?'));
    this.listAfterStmt = this.db.prepare<ListParams, StateRow>(listSql('key > ?'));
    this.eventsStmt = this.db.prepare<RangeParams, EventRow>(
      `SELECT l.id, l.key, l.value, l.create_revision, l.deleted, l.prev_revision, p.value AS prev_value FROM log l
         LEFT JOIN log p ON p.id = l.prev_revision AND l.deleted = 0 AND l.create_revision <> l.id
        WHERE l.key >= ? AND l.key < ? AND l.id > ? AND l.id <= ? ORDER BY l.id`,
    );
    // Incremental: given that everything up to `from` is compacted, a row at or below `to` is
    // superseded by a row at or below `to` exactly when some row in (from, to] names it as its
    // prev_revision (creates name none; updates and deletes name the value they replaced).
    const deleteSuperseded = this.db.prepare<[number, number]>(
      'DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ? AND id <= ? AND prev_revision > 0)',
    );
    const deleteTombstones = this.db.prepare<[number, number]>('DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1');
    const recordCompact = this.db.prepare<[number]>(
      `INSERT INTO meta (name, value) VALUES ('compact_revision', ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
    // The time of `to` itself stays: it is the first row at or above `to`.
    const deleteTimes = this.db.prepare<[number]>('DELETE FROM revision_time WHERE revision < ?');
    this.compactRange = this.db.transaction((from: number, to: number) => {
      const rows = deleteSuperseded.run(from, to).changes + deleteTombstones.run(from, to).changes;
      deleteTimes.run(to);
      recordCompact.run(to);
      return rows;
    });
    this.sizeWal();
  }

  /** Appends rows in one transaction, recording `atMs` as their time; returns after COMMIT. */
  append(rows: readonly LogRow[], atMs: number): void {
    this.appendAll(rows, atMs);
    // A store filling up (a fresh one most of all: 64 pages until its first checkpoint) would checkpoint, with its
    // fsyncs, every few transactions: ≈ 2 × the cost of a small transaction (measured), until the next compaction.
    if (++this.appendsSinceSized >= WAL_RESIZE_EVERY) this.sizeWal();
  }

  /** When `revision` was written (ms since the epoch): its transaction's time; undefined when not recorded. */
  revisionTime(revision: number): number | undefined {
    return this.timeStmt.get(revision)?.at_ms;
  }

  maxRevision(): number {
    const row = this.db.prepare<[], { m: number | null }>('SELECT MAX(id) AS m FROM log').get();
    return row?.m ?? 0;
  }

  compactRevision(): number {
    const row = this.db
      .prepare<[], { value: number }>("SELECT value FROM meta WHERE name = 'compact_revision'")
      .get();
    return row?.value ?? 0;
  }

  /** The current value of every live key, in key order. */
  *currentState(): Generator<KV> {
    const stmt = this.db.prepare<[], StateRow>(
      `SELECT l.key, l.value, l.create_revision, l.id
         FROM (SELECT key, MAX(id) AS mid FROM log GROUP BY key ORDER BY key) m
        CROSS JOIN log l ON l.id = m.mid
        WHERE l.deleted = 0 ORDER BY m.key`,
    );
    for (const r of stmt.iterate()) {
      yield { key: r.key, value: r.value, createRevision: r.create_revision, modRevision: r.id };
    }
  }

  /**
   * Live keys under `prefix` as of `revision`, in key order, after `startAfter` when given;
   * at most `limit` (<= 0: all).
   */
  listAt(prefix: string, revision: number, startAfter: string | undefined, limit: number): KV[] {
    const after = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0;
    const stmt = after ? this.listAfterStmt : this.listFromStmt;
    const rows = stmt.all(after && startAfter !== undefined ? startAfter : prefix, prefixUpperBound(prefix), revision, limit > 0 ? limit : -1);
    return rows
      .filter((r) => r.key.startsWith(prefix))
      .map((r) => ({ key: r.key, value: r.value, createRevision: r.create_revision, modRevision: r.id }));
  }

  /** Events under `prefix` with fromRevision < revision <= toRevision, in revision order. */
  events(prefix: string, fromRevision: number, toRevision: number): StoreEvent[] {
    const events: StoreEvent[] = [];
    for (const r of this.eventsStmt.iterate(prefix, prefixUpperBound(prefix), fromRevision, toRevision)) {
      if (!r.key.startsWith(prefix)) continue;
      events.push(rowToEvent(r));
    }
    return events;
  }

  /**
   * Compacts from revision `from` (the current compact revision) to `to`: deletes the rows at or
   * below `to` that a later row at or below `to` supersedes, and the tombstones at or below `to`;
   * records `to` as the compact revision. One transaction; cost proportional to `to - from`. Returns the rows deleted
   * (at most 2 × (to − from): a superseded value and a tombstone per revision).
   */
  compact(from: number, to: number): number {
    return this.compactRange(from, to);
  }

  /**
   * Gives at most `pages` free pages back to the file system (auto_vacuum = INCREMENTAL moves the last pages into free
   * ones and truncates the file); returns how many it freed. A database still without auto_vacuum frees none.
   */
  vacuumStep(pages: number): number {
    const before = this.space().freePages;
    this.db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    return before - this.space().freePages;
  }

  /** Copies the WAL into the database and truncates it to nothing; sizes the next WAL to the data now in use. */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.sizeWal();
  }

  /** SQLite's page accounting of the database (the WAL's newest pages included). */
  space(): DbSpace {
    const n = (name: string): number => {
      const v = this.db.pragma(name, { simple: true });
      return typeof v === 'number' ? v : 0;
    };
    return { pageSize: n('page_size'), pages: n('page_count'), freePages: n('freelist_count') };
  }

  close(): void {
    this.db.close();
  }

  /**
   * Automatic checkpoints when the WAL holds half the pages in use (64 to 512 pages), and a WAL that grew beyond
   * that truncated back after them: the WAL stays a bounded share of the data, however small the data.
   */
  private sizeWal(): void {
    this.appendsSinceSized = 0;
    const { pages, freePages, pageSize } = this.space();
    const walPages = Math.min(WAL_MAX_PAGES, Math.max(WAL_MIN_PAGES, Math.floor((pages - freePages) * WAL_SHARE)));
    if (walPages === this.walPages) return;
    this.walPages = walPages;
    this.db.pragma(`wal_autocheckpoint = ${walPages}`);
    this.db.pragma(`journal_size_limit = ${walPages * pageSize}`);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true });
    if (typeof version !== 'number') throw new Error('store: cannot read the schema version');
    if (version > SCHEMA_VERSION) {
      throw new Error(`store: database schema version ${version} is newer than this program (${SCHEMA_VERSION})`);
    }
    if (version < SCHEMA_VERSION) {
      // A database file once written (WAL mode writes its header) takes the setting only when rebuilt by VACUUM: at
      // once for a new one, a copy of every page for an existing one; one statement, all or nothing. When that fails
      // (the disk full: it needs a copy's room), the database is as it was, compaction's pages are reused but not
      // given back, and the next open tries again.
      this.db.pragma('auto_vacuum = INCREMENTAL');
      let vacuumed = true;
      if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) {
        try {
          this.db.exec('VACUUM');
        } catch {
          vacuumed = false;
        }
      }
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${vacuumed ? SCHEMA_VERSION : Math.max(version, 2)}`);
    }
  }
}

function rowToEvent(r: EventRow): StoreEvent {
  if (r.deleted) {
    return {
      type: 'DELETE',
      key: r.key,
      revision: r.id,
      createRevision: r.create_revision,
      value: r.value,
      prevValue: r.value,
      created: false,
    };
  }
  const created = r.create_revision === r.id;
  const event: StoreEvent = {
    type: 'PUT',
    key: r.key,
    revision: r.id,
    createRevision: r.create_revision,
    value: r.value,
    created,
  };
  if (!created && r.prev_value !== null) {
    event.prevValue = r.prev_value;
    event.prevRevision = r.prev_revision;
  }
  return event;
}
