// A write the disk had no room for: SQLite's SQLITE_FULL (the log or its WAL could not grow; ENOSPC underneath) as
// a StoreError naming the cause and the data dir, so the API's 500 says what to free. The transaction was rolled
// back by SQLite and better-sqlite3, so the connection stays usable and writes succeed again once there is room.
import * as path from 'node:path';
import { StoreError } from './types';

interface SqliteFailure {
  code?: unknown;
}

export function isSqliteFull(err: unknown): boolean {
  return err instanceof Error && (err as SqliteFailure).code === 'SQLITE_FULL';
}

/** `err` as StoreError NoSpace when it is SQLITE_FULL; any other error as it is. */
export function noSpace(err: unknown, dbPath: string): unknown {
  if (!isSqliteFull(err)) return err;
  const where = dbPath === ':memory:' ? 'memory' : `the data dir ${path.dirname(path.resolve(dbPath))}`;
  return new StoreError('NoSpace', `no space left on device: ${where} is full, the write was not stored (${(err as Error).message})`);
}
