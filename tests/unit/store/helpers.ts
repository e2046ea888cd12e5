// Test helpers for the store: temp stores that are cleaned up, and polling with a deadline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type OpenStoreOptions, type SqliteStore } from '../../../main/store/sqlite-store';
import type { StoreEvent } from '../../../main/store/types';
import { pollUntil } from '../../../main/protocol/poll';

export class TempStores {
  private readonly dirs: string[] = [];
  private readonly stores: SqliteStore[] = [];

  /** A fresh directory holding a database path. */
  dbPath(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-'));
    this.dirs.push(dir);
    return path.join(dir, 'store.db');
  }

  open(opts: Partial<OpenStoreOptions> = {}): SqliteStore {
    const store = openStore({ autoCompactMs: 0, ...opts, path: opts.path ?? this.dbPath() });
    this.stores.push(store);
    return store;
  }

  cleanup(): void {
    for (const s of this.stores.splice(0)) s.close();
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Polls `cond` every few ms until it holds; fails after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  await pollUntil(cond, timeoutMs, what, 5);
}

/** A watch callback that records every batch. */
export function recorder(): { batches: StoreEvent[][]; events: () => StoreEvent[]; cb: (b: StoreEvent[]) => void } {
  const batches: StoreEvent[][] = [];
  return { batches, events: () => batches.flat(), cb: (b) => batches.push(b) };
}
