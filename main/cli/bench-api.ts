// `flotilla bench api`: the API server over HTTPS, measured from another process.
//   creates/s of 5,000 ConfigMaps with 16 concurrent clients, mutating p99 (creates + updates),
//   GET p50/p99, watch delivery latency to 100 concurrent watchers, and in the same run the
//   baseline: raw better-sqlite3 single-row insert transactions per second (WAL), and the ratio.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { HttpClient } from '../client/http';
import { readKubeconfig } from '../apiserver/kubeconfig';
import type { ConfigMap } from '../api/types';
import { R } from '../client/refs';
import { median, nowMs, percentile, printResult, printTable, round } from './bench-report';
import type { BenchApiOptions } from './commands';
import { processCpuSeconds } from './bench-process-usage';
import { startCeilingServer } from './bench-api-ceiling';
import { serveCommand, type MeasuredCode } from './bench-build';
import { READY_PROBE, SENT_ANNOTATION, WATCHER_SCRIPT, type WatchResult } from './bench-api-watcher';

const CONFIGMAPS = R.configmaps;
const NAMESPACES = R.namespaces;

interface ServerProc {
  child: ChildProcess;
  /** The build or the sources (bench-build.ts). */
  code: MeasuredCode;
  url: string;
  kubeconfig: string;
}

/** FLOTILLA_BENCH_SERVER_PROFILE=DIR: the server writes a V8 CPU profile there (open it in Chrome's DevTools). */
function serverProfileArgs(): string[] {
  const dir = process.env.FLOTILLA_BENCH_SERVER_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts `flotilla serve` as a child process (the server gets its own core) and waits for its URL. */
export function startServeProcess(dataDir: string, extra: string[] = []): Promise<ServerProc> {
  const command = serveCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=64', ...serverProfileArgs(), ...command.args, 'serve', '--data-dir', dataDir, '--api-port', '0', '--ui-port', '0', '--nodes', '0', '--ingress-port', '0', '--ingress-https-port', '0', '--registry-port', '0', ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flotilla serve did not start in time:\n${out}`));
    }, 180_000); // a loaded machine compiles the server (tsx) slowly
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /API server: (https:\/\/\S+)/.exec(out);
      if (m && fs.existsSync(path.join(dataDir, 'kubeconfig'))) {
        clearTimeout(timer);
        resolve({ child, code: command.code, url: m[1], kubeconfig: path.join(dataDir, 'kubeconfig') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flotilla serve exited with ${code}:\n${out}`));
    });
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The server's CPU time (all its threads, /proc's 10 ms ticks) from now, per request: it does not count
 * the time the server waits for a core, as the rates and latencies do, though cores shared with other processes still
 * move it (±10–15 % run to run at load 3–5 on the 2-core machine). NaN where /proc is missing.
 */
function serverCpuMeter(pid: number | undefined): { perRequestUs(requests: number): number } {
  const now = () => (pid === undefined ? NaN : processCpuSeconds(pid));
  const from = now();
  return { perRequestUs: (requests) => ((now() - from) * 1e6) / requests };
}

/** The store's rows and commits so far, from the server's /metrics (NaN when metrics are off). */
async function storeCommits(client: HttpClient): Promise<{ rows: number; commits: number }> {
  const res = await client.request('GET', '/metrics', undefined, undefined, 'text/plain');
  const counter = (name: string): number => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(res.code === 200 ? res.text : '');
    return m ? Number(m[1]) : NaN;
  };
  return { rows: counter('flotilla_store_writes_total'), commits: counter('flotilla_store_transactions_total') };
}

/** The bench process's own CPU (the client's) per request since `from` (process.cpuUsage()). */
function clientCpuUs(from: NodeJS.CpuUsage, requests: number): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / requests;
}

interface CreatePhase {
  createsPerS: number;
  latencies: number[];
  serverCpuUs: number;
  clientCpuUs: number;
}

/** `total` ConfigMap creates with `concurrency` workers after 300 to warm connections and JIT, with both sides' CPU. */
async function createPhase(
  client: HttpClient, serverPid: number | undefined, ns: string, total: number, concurrency: number,
): Promise<CreatePhase> {
  await runConcurrent(300, concurrency, (i) => client.create(CONFIGMAPS, configMap(ns, `warm-${i}`)));
  const serverCpu = serverCpuMeter(serverPid);
  const clientFrom = process.cpuUsage();
  const run = await runConcurrent(total, concurrency, (i) => client.create(CONFIGMAPS, configMap(ns, `cm-${String(i).padStart(5, '0')}`)));
  return {
    createsPerS: total / (run.elapsedMs / 1000), latencies: run.latencies,
    serverCpuUs: serverCpu.perRequestUs(total), clientCpuUs: clientCpuUs(clientFrom, total),
  };
}

/**
 * The connections the bench's clients share: HTTP/1.1 carries one request at a time on a connection, so one per client;
 * HTTP/2 one, as client-go (its transport keeps one connection to a server and opens another only when the server's
 * stream limit is reached) — a controller's workers and watches, or kubectl's requests, are streams of it.
 */
function benchConnections(o: Pick<BenchApiOptions, 'protocol' | 'clients' | 'connections'>): number {
  return o.connections ?? (o.protocol === 'h2' ? 1 : o.clients);
}

/** The same creates against a bare HTTP/2 server (bench-api-ceiling.ts) with the same client settings. */
async function ceilingPhase(
  pkiDir: string, o: { total: number; concurrency: number; connections: number; caCertPem: string; http2: boolean },
): Promise<CreatePhase> {
  const ceiling = await startCeilingServer(pkiDir);
  const client = new HttpClient({ server: ceiling.url, token: 'unused', caCertPem: o.caCertPem, maxSockets: o.connections, http2: o.http2 });
  try {
    return await createPhase(client, ceiling.child.pid, 'bench', o.total, o.concurrency);
  } finally {
    client.close();
    await stopProcess(ceiling.child);
  }
}

function configMap(ns: string, name: string, sent?: number): ConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name, namespace: ns, labels: { bench: 'api' }, annotations: sent === undefined ? undefined : { [SENT_ANNOTATION]: String(sent) } },
    data: { key: 'value', other: 'x'.repeat(64) },
  };
}

/** Runs `count` tasks with `concurrency` workers; returns each task's latency in ms. */
async function runConcurrent(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = nowMs();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = nowMs();
      await task(i);
      latencies.push(nowMs() - t0);
    }
  }));
  return { latencies, elapsedMs: nowMs() - start };
}

function sqliteBaseline(dir: string, durationMs: number): number {
  const db = new Database(path.join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT, value TEXT)');
  const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
  const value = JSON.stringify(configMap('bench', 'cm-00000'));
  let n = 0;
  const start = nowMs();
  while (nowMs() - start < durationMs) {
    insert.run(`/registry/core/configmaps/bench/cm-${n}`, value); // one implicit transaction per insert
    n++;
  }
  const rate = n / ((nowMs() - start) / 1000);
  db.close();
  return rate;
}

export async function benchApi(o: BenchApiOptions): Promise<void> {
  if (o.overhead > 0) {
    const args = ['--count', String(o.count), '--clients', String(o.clients), '--watchers', String(o.watchers), '--watch-events', String(o.watchEvents), '--protocol', o.protocol,
      '--connections', String(benchConnections(o))];
    return (await import('./bench-overhead')).benchOverhead('api', o.overhead, args);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-api-'));
  try {
    await measureApi(dir, o);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true }); // also when the server never started
  }
}

async function measureApi(dir: string, o: BenchApiOptions): Promise<void> {
  const { count: total, clients: concurrency, watchers, watchEvents, protocol } = o;
  const connections = benchConnections(o);
  let watchProcess: ChildProcess | undefined;
  const server = await startServeProcess(path.join(dir, 'data'), [`--tracing=${o.tracing}`, `--metrics=${o.metrics}`]);
  const kc = readKubeconfig(server.kubeconfig);
  const client = new HttpClient({ server: kc.server, token: kc.token, caCertPem: kc.caCertPem, maxSockets: connections, http2: protocol === 'h2' });
  try {
    for (const ns of ['bench', 'bench-watch']) await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    process.stderr.write(`creating ${total} configmaps with ${concurrency} clients...\n`);
    const commitsBefore = await storeCommits(client);
    const creates = await createPhase(client, server.child.pid, 'bench', total, concurrency);
    const commitsAfter = await storeCommits(client);
    const rowsPerCommit = (commitsAfter.rows - commitsBefore.rows) / (commitsAfter.commits - commitsBefore.commits);

    const updates = await runConcurrent(Math.min(2000, total), concurrency, async (i) => {
      const name = `cm-${String(i).padStart(5, '0')}`;
      await client.patch(CONFIGMAPS, name, { data: { key: `v${i}` } }, 'merge', { namespace: 'bench' });
    });
    const mutating = [...creates.latencies, ...updates.latencies];

    process.stderr.write('updates and gets...\n');
    const serverCpu = serverCpuMeter(server.child.pid);
    const gets = await runConcurrent(5000, concurrency, (i) => client.get(CONFIGMAPS, `cm-${String(i % total).padStart(5, '0')}`, 'bench'));
    const getCpuUs = serverCpu.perRequestUs(5000);

    process.stderr.write(`watch delivery to ${watchers} watchers...\n`);
    // Watch delivery: watchers in another process, creates paced at a steady rate.
    const startRv = (await client.list(CONFIGMAPS, { namespace: 'bench-watch', limit: 1 })).metadata.resourceVersion ?? '0';
    const watcher = spawn(process.execPath, ['--import', 'tsx', WATCHER_SCRIPT, server.kubeconfig, 'bench-watch', String(watchers), String(watchEvents), startRv], { stdio: ['ignore', 'pipe', 'inherit'] });
    watchProcess = watcher;
    let childOut = '';
    const ready = new Promise<void>((resolve, reject) => {
      watcher.stdout.on('data', (d: Buffer) => {
        childOut += d.toString();
        if (childOut.includes('ready')) resolve();
      });
      watcher.on('exit', (c) => (c ? reject(new Error(`watcher process exited with ${c}`)) : undefined));
    });
    await client.create(CONFIGMAPS, configMap('bench-watch', READY_PROBE));
    await ready;
    const rate = 250; // creates per second while watched
    const t0 = nowMs();
    await runConcurrent(watchEvents, 4, async (i) => {
      const due = t0 + (i * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await client.create(CONFIGMAPS, configMap('bench-watch', `w-${i}`, nowMs()));
    });
    const watchResult = await new Promise<WatchResult>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('watchers did not receive every event within 60 s')), 60_000);
      watcher.on('exit', () => {
        clearTimeout(t);
        const line = childOut.trim().split('\n').pop() ?? '';
        resolve(JSON.parse(line) as WatchResult);
      });
    });

    process.stderr.write('raw SQLite baseline...\n');
    const sqliteTx = sqliteBaseline(dir, 3000);
    process.stderr.write('the same creates against a bare HTTP/2 server (the ceiling)...\n');
    client.close();
    await stopProcess(server.child); // its compactions and collections would take the ceiling's core
    const ceiling = await ceilingPhase(path.join(dir, 'data', 'pki'), { total, concurrency, connections, caCertPem: kc.caCertPem, http2: protocol === 'h2' });
    const result = {
      bench: 'api',
      code: server.code,
      protocol,
      tracing: o.tracing,
      metrics: o.metrics,
      creates: total,
      clients: concurrency,
      connections,
      creates_per_s: round(creates.createsPerS, 0),
      mutating_p50_ms: round(median(mutating), 2),
      mutating_p99_ms: round(percentile(mutating, 99), 2),
      get_p50_ms: round(median(gets.latencies), 2),
      get_p99_ms: round(percentile(gets.latencies, 99), 2),
      ...(Number.isFinite(creates.serverCpuUs) ? { server_cpu_us_per_create: round(creates.serverCpuUs, 0) } : {}),
      client_cpu_us_per_create: round(creates.clientCpuUs, 0),
      ...(Number.isFinite(getCpuUs) ? { server_cpu_us_per_get: round(getCpuUs, 0) } : {}),
      ...(Number.isFinite(rowsPerCommit) ? { rows_per_commit: round(rowsPerCommit, 2) } : {}),
      watchers,
      watch_events: watchResult.n,
      watch_p50_ms: round(watchResult.p50, 2),
      watch_p99_ms: round(watchResult.p99, 2),
      sqlite_tx_per_s: round(sqliteTx, 0),
      ratio: round(creates.createsPerS / sqliteTx, 3),
      ceiling_creates_per_s: round(ceiling.createsPerS, 0),
      ...(Number.isFinite(ceiling.serverCpuUs) ? { ceiling_server_cpu_us_per_create: round(ceiling.serverCpuUs, 0) } : {}),
      ceiling_client_cpu_us_per_create: round(ceiling.clientCpuUs, 0),
      ratio_to_ceiling: round(creates.createsPerS / ceiling.createsPerS, 3),
    };
    printTable([
      ['measure', 'value', 'target'],
      ['server code (bench-build.ts)', result.code, 'build'],
      [`creates/s (${concurrency} clients, ${connections} ${protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1'} connection${connections === 1 ? '' : 's'})`, result.creates_per_s, protocol === 'h2' ? '>= 5000' : '>= 3000'],
      ['mutating p50 ms', result.mutating_p50_ms, ''],
      ['mutating p99 ms', result.mutating_p99_ms, '<= 50'],
      ['GET p50 ms', result.get_p50_ms, ''],
      ['GET p99 ms', result.get_p99_ms, ''],
      ['server CPU µs per create', result.server_cpu_us_per_create ?? 'n/a', ''],
      ['client CPU µs per create', result.client_cpu_us_per_create, ''],
      ['server CPU µs per GET', result.server_cpu_us_per_get ?? 'n/a', ''],
      ['store rows per commit (creates)', result.rows_per_commit ?? 'n/a', ''],
      [`watch delivery p50 ms (${watchers} watchers)`, result.watch_p50_ms, ''],
      [`watch delivery p99 ms (${watchers} watchers)`, result.watch_p99_ms, '<= 100'],
      ['raw SQLite insert tx/s (baseline)', result.sqlite_tx_per_s, ''],
      ['ratio creates/s : SQLite tx/s', result.ratio, ''],
      ['ceiling: bare HTTP/2 server creates/s', result.ceiling_creates_per_s, ''],
      ['ceiling: its server CPU µs per create', result.ceiling_server_cpu_us_per_create ?? 'n/a', ''],
      ['ceiling: client CPU µs per create', result.ceiling_client_cpu_us_per_create, ''],
      ['ratio creates/s : ceiling', result.ratio_to_ceiling, ''],
    ]);
    printResult(result);
  } finally {
    client.close();
    if (watchProcess) await stopProcess(watchProcess); // the watchers, when the run failed before they were done
    await stopProcess(server.child);
  }
}
