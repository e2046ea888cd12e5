// `flotilla bench soak [--minutes 5] [--compaction-interval 30s] [--nodes 50] [--rate 20]`: does the store stay
// bounded under continuous churn? An in-process control plane (every control loop, the interval compactor at
// --compaction-interval) with --nodes hollow nodes renewing their Leases every 10 s as kubelets do, and the churn of
// bench-soak-churn.ts over HTTPS for --minutes. Every few seconds a sample (bench-soak-sample.ts): disk, live data,
// revisions, compactions and their pause, RSS, p50/p99 of writes and reads. Prints the samples, the summary against
// the targets (disk ≤ 2× live, no compaction step ≥ 100 ms, RSS flat), then the JSON line.
import * as path from 'node:path';
import { HttpClient } from '../client/http';
import { startHollowBench } from './bench-hollow';
import { prepareChurn, startChurn, type Call } from './bench-soak-churn';
import { keysByResource, Sampler, type Sample } from './bench-soak-sample';
import { median, percentile, printResult, printTable, round } from './bench-report';
import type { BenchSoakOptions } from './commands';

const MIB = 2 ** 20;
/** The targets of issue 18. */
const MAX_DISK_TO_LIVE = 2;
const MAX_PAUSE_MS = 100;

export interface SoakSummary {
  /** Largest disk ÷ used pages over the samples after the first compaction (NaN: none compacted). */
  diskToLiveMax: number;
  diskToLiveMedian: number;
  diskToLatestMax: number;
  maxCompactionPauseMs: number;
  compactions: number;
  /** Median p99 of windows with a compaction minus that of windows without (NaN when either is missing). */
  compactionP99StepMs: number;
  /** RSS: median of the last 3 samples minus median of the first 3 after the warm-up. */
  rssGrowthMb: number;
  /** The same for V8's reserved heap and for external memory: what of the RSS growth they explain. */
  heapTotalGrowthMb: number;
  externalGrowthMb: number;
  usedGrowthMb: number;
  /**
   * RSS and heap in use over the run's second half (median of its first 3 samples against its last 3): what still grows
   * once the warm-up (caches filling, Events reaching their TTL) is over. With --expose-gc the heap is the live heap.
   */
  rssGrowthLastHalfMb: number;
  heapGrowthLastHalfMb: number;
  /**
   * Over the second half too, what of the RSS V8 reserves for its heap, and the rest (RSS − V8's reserved heap − external
   * memory): native allocations — SQLite's page cache (it fills to the database's size, at most better-sqlite3's 16 MB),
   * the allocator, Node's own. A native leak shows here; a JavaScript one in the heap in use.
   */
  heapTotalGrowthLastHalfMb: number;
  nativeGrowthLastHalfMb: number;
  /**
   * The median RSS of each quarter of the run, and the last quarter's against the second's: RSS swings by tens of MiB as
   * V8 grows and gives back its heap, so two 3-sample ends can differ by a swing; a quarter's median cannot.
   */
  rssQuarterMediansMb: number[];
  rssLateGrowthMb: number;
  p99Ms: number;
  writeP99Ms: number;
  readP99Ms: number;
  calls: number;
}

/** The median of `pick` over each quarter of the run (by time; NaN for a quarter without samples). */
export function quarterMedians(samples: readonly Sample[], pick: (s: Sample) => number): number[] {
  const end = samples[samples.length - 1]?.t ?? 0;
  const quarters: number[][] = [[], [], [], []];
  for (const s of samples) quarters[Math.min(3, Math.floor((4 * s.t) / end))].push(pick(s));
  return quarters.map((q) => (q.length ? median(q) : NaN));
}

function growth(samples: readonly Sample[], warmupS: number, pick: (s: Sample) => number): number {
  const after = samples.filter((s) => s.t >= warmupS);
  if (after.length < 2) return NaN;
  const n = Math.min(3, Math.floor(after.length / 2));
  return median(after.slice(-n).map(pick)) - median(after.slice(0, n).map(pick));
}

/** RSS outside V8's reserved heap and external memory (Buffers): what native code holds. */
const nativeMb = (s: Sample): number => s.rssMb - s.heapTotalMb - s.externalMb;

/** Every call's latency (ms), writes and reads apart: plain numbers (8 bytes each), so the run's own record of its calls
 * adds next to nothing to the heap whose growth it measures (≈ 0.6 MB an hour at 20 calls/s). */
export interface Latencies { write: number[]; read: number[] }

export function addLatencies(into: Latencies, calls: readonly Call[]): void {
  for (const c of calls) (c.write ? into.write : into.read).push(c.ms);
}

/** The figures of a run: pure, from the samples and every call. */
export function summarize(samples: readonly Sample[], latencies: Latencies, maxPauseMs: number, warmupS: number): SoakSummary {
  const firstCompacted = samples.findIndex((s) => s.compactRevision > 0);
  const compacted = firstCompacted < 0 ? [] : samples.slice(firstCompacted);
  const ratios = compacted.map((s) => s.diskBytes / s.usedBytes);
  const with_ = samples.filter((s) => s.compactions > 0 && s.calls > 0).map((s) => s.p99);
  const without = samples.filter((s) => s.compactions === 0 && s.calls > 0).map((s) => s.p99);
  const all = [...latencies.write, ...latencies.read];
  const halfway = (samples[samples.length - 1]?.t ?? 0) / 2;
  const rssQuarters = quarterMedians(samples, (s) => s.rssMb);
  return {
    diskToLiveMax: ratios.length ? Math.max(...ratios) : NaN,
    diskToLiveMedian: median(ratios),
    diskToLatestMax: compacted.length ? Math.max(...compacted.map((s) => s.diskBytes / s.latestBytes)) : NaN,
    maxCompactionPauseMs: maxPauseMs,
    compactions: samples.reduce((a, s) => a + s.compactions, 0),
    compactionP99StepMs: with_.length && without.length ? median(with_) - median(without) : NaN,
    rssGrowthMb: growth(samples, warmupS, (s) => s.rssMb),
    heapTotalGrowthMb: growth(samples, warmupS, (s) => s.heapTotalMb),
    externalGrowthMb: growth(samples, warmupS, (s) => s.externalMb),
    usedGrowthMb: growth(samples, warmupS, (s) => s.usedBytes / MIB),
    rssGrowthLastHalfMb: growth(samples, halfway, (s) => s.rssMb),
    heapGrowthLastHalfMb: growth(samples, halfway, (s) => s.heapMb),
    heapTotalGrowthLastHalfMb: growth(samples, halfway, (s) => s.heapTotalMb),
    nativeGrowthLastHalfMb: growth(samples, halfway, nativeMb),
    rssQuarterMediansMb: rssQuarters,
    rssLateGrowthMb: rssQuarters[3] - rssQuarters[1],
    p99Ms: percentile(all, 99),
    writeP99Ms: percentile(latencies.write, 99),
    readP99Ms: percentile(latencies.read, 99),
    calls: all.length,
  };
}

function sampleRows(samples: readonly Sample[], maxRows: number): Array<Array<string | number>> {
  const every = Math.max(1, Math.ceil(samples.length / maxRows));
  const rows: Array<Array<string | number>> = [[
    't (s)', 'db MiB', 'wal MiB', 'used MiB', 'latest MiB', 'keys', 'revision', 'compact rev', 'compactions', 'pause ms', 'compact/vacuum/ckpt ms',
    'RSS MiB', 'heap MiB', 'heap total', 'external', 'loop max ms', 'write p50', 'write p99', 'read p50', 'read p99',
  ]];
  samples.forEach((s, i) => {
    // Every row with a compaction, else every `every`-th, and the last.
    if (s.compactions === 0 && i % every !== 0 && i !== samples.length - 1) return;
    rows.push([
      String(round(s.t, 0)), s.dbBytes / MIB, (s.walBytes + s.shmBytes) / MIB, s.usedBytes / MIB, s.latestBytes / MIB, s.keys, s.revision,
      s.compactRevision, s.compactions, round(s.compactionPauseMs, 1),
      s.phasesMs ? `${round(s.phasesMs.compact, 0)}/${round(s.phasesMs.vacuum, 0)}/${round(s.phasesMs.checkpoint, 0)}` : '', s.rssMb, s.heapMb, s.heapTotalMb, s.externalMb, s.loopMaxMs,
      s.writeP50, s.writeP99, s.readP50, s.readP99,
    ]);
  });
  return rows;
}

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

export async function benchSoak(o: BenchSoakOptions): Promise<void> {
  const durationMs = o.minutes * 60_000;
  const bench = await startHollowBench('flotilla-bench-soak-', o.nodes, { compactionIntervalMs: o.compactionInterval, eventTTLMs: o.eventTtl * 1000 });
  const { core } = bench;
  const http = new HttpClient({ server: core.api.url, token: core.auth.adminToken, caCertPem: core.caCertPem, maxSockets: 16 });
  const sampler = new Sampler(core.store, path.join(core.dataDir, 'state.db'), core.compactor?.state);
  const samples: Sample[] = [];
  const latencies: Latencies = { write: [], read: [] };
  try {
    await prepareChurn(http);
    const keysBefore = keysByResource(core.store);
    const churn = startChurn(http, o.rate);
    sampler.take([]);
    const end = Date.now() + durationMs;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(o.sampleSeconds * 1000, Math.max(0, end - Date.now())))); // the sampling period
      const window = churn.drain();
      addLatencies(latencies, window);
      samples.push(sampler.take(window));
      const s = samples[samples.length - 1];
      process.stderr.write(`  ${round(s.t, 0)} s: rev ${s.revision}, disk ${round(s.diskBytes / MIB, 1)} MiB, used ${round(s.usedBytes / MIB, 1)} MiB, RSS ${round(s.rssMb, 0)} MiB, p99 ${round(s.p99, 1)} ms\n`);
    }
    await churn.stop();
    addLatencies(latencies, churn.drain());
    const warmupS = Math.min(60, (durationMs / 1000) * 0.2);
    const sum = summarize(samples, latencies, core.compactor?.state.runs.maxPauseMs ?? NaN, warmupS);

    console.log(`bench soak: ${o.minutes} min, ${o.nodes} hollow nodes renewing Leases every 10 s, churn ${o.rate} calls/s over HTTPS, compaction every ${o.compactionInterval / 1000} s, Events kept ${o.eventTtl} s`);
    console.log('  RSS follows the live data while it grows: until the first Events expire (--event-ttl), RSS growth is no leak by itself.');
    console.log('  disk = database + WAL + shm files; used = SQLite pages holding rows and indexes ((page_count − freelist_count) × page_size:');
    console.log('  live keys\' latest values and the history window the compactor keeps); latest = bytes of every live key and its latest value.');
    console.log(`  RSS is this process: the control plane, ${o.nodes} hollow kubelets and the churn's client. Latencies in ms.`);
    printTable(sampleRows(samples, 30));
    console.log('');
    printTable([
      ['figure', 'value', 'target', ''],
      ['disk ÷ used, max after the first compaction', round(sum.diskToLiveMax, 2), `≤ ${MAX_DISK_TO_LIVE}`, verdict(sum.diskToLiveMax <= MAX_DISK_TO_LIVE)],
      ['disk ÷ used, median', round(sum.diskToLiveMedian, 2), '', ''],
      ['disk ÷ latest, max after the first compaction', round(sum.diskToLatestMax, 2), '', ''],
      ['compactions', sum.compactions, '', ''],
      ['longest compaction step (ms)', round(sum.maxCompactionPauseMs, 1), `< ${MAX_PAUSE_MS}`, verdict(sum.maxCompactionPauseMs < MAX_PAUSE_MS)],
      ['p99 step in compaction windows (ms)', round(sum.compactionP99StepMs, 1), `< ${MAX_PAUSE_MS}`, verdict(!(sum.compactionP99StepMs >= MAX_PAUSE_MS))],
      ['RSS growth after warm-up (MiB)', round(sum.rssGrowthMb, 1), 'flat', ''],
      ['  of it V8 heap reserved / external (MiB)', `${round(sum.heapTotalGrowthMb, 1)} / ${round(sum.externalGrowthMb, 1)}`, '', ''],
      ['RSS / heap in use growth over the second half (MiB)', `${round(sum.rssGrowthLastHalfMb, 1)} / ${round(sum.heapGrowthLastHalfMb, 1)}`, 'flat', ''],
      ['  of the RSS: V8 heap reserved / native (MiB)', `${round(sum.heapTotalGrowthLastHalfMb, 1)} / ${round(sum.nativeGrowthLastHalfMb, 1)}`, '', ''],
      ['RSS median of each quarter (MiB)', sum.rssQuarterMediansMb.map((m) => round(m, 0)).join(' / '), '', ''],
      ['  the last quarter\'s against the second\'s (MiB)', round(sum.rssLateGrowthMb, 1), 'flat', ''],
      ['used pages growth after warm-up (MiB)', round(sum.usedGrowthMb, 2), 'flat', ''],
      ['p99, all calls (ms)', round(sum.p99Ms, 1), '', ''],
      ['p99 writes / reads (ms)', `${round(sum.writeP99Ms, 1)} / ${round(sum.readP99Ms, 1)}`, '', ''],
      ['calls (failed)', `${sum.calls} (${churn.failures})`, '', ''],
    ]);
    console.log('');
    const keysAfter = keysByResource(core.store);
    const grown = [...keysAfter].map(([r, n]) => ({ r, before: keysBefore.get(r) ?? 0, after: n })).sort((a, b) => (b.after - b.before) - (a.after - a.before));
    printTable([['live keys of', 'at the start', 'at the end'], ...grown.slice(0, 8).map((g) => [g.r, g.before, g.after])]);
    for (const f of churn.firstFailures) console.log(`  failed call: ${f}`);
    for (const e of bench.errors.slice(0, 5)) console.log(`  logged: ${e}`);
    const last = samples[samples.length - 1];
    printResult({
      bench: 'soak', minutes: o.minutes, nodes: o.nodes, rate: o.rate, compaction_interval_s: o.compactionInterval / 1000, event_ttl_s: o.eventTtl,
      disk_to_live_ratio: round(sum.diskToLiveMax, 2), disk_to_live_median: round(sum.diskToLiveMedian, 2), disk_to_latest_ratio: round(sum.diskToLatestMax, 2),
      max_compaction_pause_ms: round(sum.maxCompactionPauseMs, 1), compactions: sum.compactions, compaction_p99_step_ms: round(sum.compactionP99StepMs, 1),
      rss_growth_mb: round(sum.rssGrowthMb, 1), heap_total_growth_mb: round(sum.heapTotalGrowthMb, 1), external_growth_mb: round(sum.externalGrowthMb, 1),
      rss_growth_last_half_mb: round(sum.rssGrowthLastHalfMb, 1), heap_growth_last_half_mb: round(sum.heapGrowthLastHalfMb, 1),
      heap_total_growth_last_half_mb: round(sum.heapTotalGrowthLastHalfMb, 1), native_growth_last_half_mb: round(sum.nativeGrowthLastHalfMb, 1),
      native_mb: round(last ? nativeMb(last) : NaN, 1),
      ...Object.fromEntries(sum.rssQuarterMediansMb.map((m, i) => [`rss_q${i + 1}_mb`, round(m, 1)])), rss_late_growth_mb: round(sum.rssLateGrowthMb, 1),
      used_growth_mb: round(sum.usedGrowthMb, 2), rss_mb: round(last?.rssMb ?? NaN, 0),
      disk_mb: round((last?.diskBytes ?? NaN) / MIB, 2), live_mb: round((last?.usedBytes ?? NaN) / MIB, 2),
      keys: last?.keys ?? 0, revision: last?.revision ?? 0,
      p99_ms: round(sum.p99Ms, 1), write_p99_ms: round(sum.writeP99Ms, 1), read_p99_ms: round(sum.readP99Ms, 1), calls: sum.calls, failed_calls: churn.failures,
    });
  } finally {
    sampler.stop();
    http.close();
    await bench.stop();
  }
}
