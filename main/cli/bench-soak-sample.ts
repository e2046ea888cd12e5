// The soak's samples: every few seconds, the store's files and pages, its live data, its revisions and compactions,
// the process's memory, the event loop's longest delay, and the latency of the churn's calls in the window.
//
// Live data, two ways (printed with the table):
//   used  — SQLite's page accounting: (page_count − freelist_count) × page_size, the pages holding every row the
//           store keeps (each live key's latest value and the history window the compactor keeps) and their index;
//   latest — the bytes (UTF-8) of the key and latest value of every live key: what a store without history needs.
// Disk is the database file + its WAL + the WAL's shared-memory index.
import * as fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Core } from '../core';
import type { Call } from './bench-soak-churn';
import { nowMs, percentile } from './bench-report';

export interface Sample {
  /** Seconds since the churn started. */
  t: number;
  dbBytes: number;
  walBytes: number;
  shmBytes: number;
  diskBytes: number;
  usedBytes: number;
  freeBytes: number;
  latestBytes: number;
  keys: number;
  revision: number;
  compactRevision: number;
  /** Compactions run in this window, and their longest synchronous step (ms). */
  compactions: number;
  compactionPauseMs: number;
  /** Of the last compaction in the window: its longest compaction, vacuum and checkpoint step (ms). */
  phasesMs?: { compact: number; vacuum: number; checkpoint: number };
  rssMb: number;
  heapMb: number;
  /** V8's heap as reserved from the system (heapMb is the part in use), and memory outside it held by JS objects (Buffers). */
  heapTotalMb: number;
  externalMb: number;
  /** The event loop's longest delay in the window (ms). */
  loopMaxMs: number;
  calls: number;
  writeP50: number;
  writeP99: number;
  readP50: number;
  readP99: number;
  p99: number;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Bytes of the key and value of every live key, and how many keys. */
export function latestBytes(store: Core['store']): { bytes: number; keys: number } {
  let bytes = 0;
  const items = store.list('/').items;
  for (const kv of items) bytes += Buffer.byteLength(kv.key) + Buffer.byteLength(kv.value);
  return { bytes, keys: items.length };
}

/** Live keys per resource (`group/plural`, from the storage key `/registry/<group>/<plural>/…`). */
export function keysByResource(store: Core['store']): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kv of store.list('/').items) {
    const resource = kv.key.split('/').slice(2, 4).join('/');
    counts.set(resource, (counts.get(resource) ?? 0) + 1);
  }
  return counts;
}

export class Sampler {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly t0 = nowMs();
  private runsSeen: number;

  constructor(private readonly store: Core['store'], private readonly dbFile: string, private readonly compactor: NonNullable<Core['compactor']>['state'] | undefined) {
    this.loop.enable();
    this.runsSeen = compactor?.runs.count ?? 0;
  }

  /** A sample of now, with `calls` (the churn's calls since the last sample). */
  take(calls: readonly Call[]): Sample {
    const db = fileSize(this.dbFile);
    const wal = fileSize(`${this.dbFile}-wal`);
    const shm = fileSize(`${this.dbFile}-shm`);
    const space = this.store.space();
    const latest = latestBytes(this.store);
    const runs = this.compactor?.runs;
    const compactions = runs ? runs.count - this.runsSeen : 0;
    this.runsSeen = runs?.count ?? 0;
    // Started with --expose-gc (NODE_OPTIONS), each sample follows a full collection: the heap in use is the live heap.
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    const writes = calls.filter((c) => c.write).map((c) => c.ms);
    const reads = calls.filter((c) => !c.write).map((c) => c.ms);
    const sample: Sample = {
      t: (nowMs() - this.t0) / 1000,
      dbBytes: db, walBytes: wal, shmBytes: shm, diskBytes: db + wal + shm,
      usedBytes: (space.pages - space.freePages) * space.pageSize, freeBytes: space.freePages * space.pageSize,
      latestBytes: latest.bytes, keys: latest.keys,
      revision: this.store.revision, compactRevision: this.store.compactRevision,
      compactions, compactionPauseMs: compactions > 0 && runs ? runs.lastPauseMs : 0,
      phasesMs: compactions > 0 && runs ? { ...runs.lastPhasesMs } : undefined,
      rssMb: mem.rss / 2 ** 20, heapMb: mem.heapUsed / 2 ** 20, heapTotalMb: mem.heapTotal / 2 ** 20, externalMb: mem.external / 2 ** 20,
      loopMaxMs: this.loop.max / 1e6,
      calls: calls.length,
      writeP50: percentile(writes, 50), writeP99: percentile(writes, 99),
      readP50: percentile(reads, 50), readP99: percentile(reads, 99),
      p99: percentile(calls.map((c) => c.ms), 99),
    };
    this.loop.reset();
    return sample;
  }

  stop(): void {
    this.loop.disable();
  }
}
