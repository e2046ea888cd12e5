// The other control-plane components' figures, read when /metrics is scraped, with the names
// kube-scheduler, kube-controller-manager's work queues and kine/etcd give them.
import { Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import { readCounter, readGauge, tallyCounter } from './tally';
import type { QueueMetricsProvider } from '../../protocol/queue-metrics';

/** client-go's workqueue_work_duration_seconds buckets: 10 ns … 10 s. */
export const WORK_BUCKETS = Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i);

export interface SchedulerFigures {
  pending: { active: number; backoff: number; unschedulable: number };
  attempts: { scheduled: number; unschedulable: number; error: number };
}

export interface StoreFigures {
  revision: number;
  compactRevision: number;
  /** Bytes of the database files (the log and its WAL). */
  sizeBytes: number;
  writes: number;
  transactions: number;
  watchers: number;
  /** Events delivered to watchers, once per watcher reached. */
  watchEvents: number;
  /** When the store last compacted (ms since the epoch), 0 if not since start. */
  lastCompactionAt: number;
}

export function schedulerCollectors(registry: Registry, figures: () => SchedulerFigures): void {
  readGauge(registry, 'scheduler_pending_pods', 'Number of pending pods, by the queue type.', ['queue'], () => {
    const p = figures().pending;
    return [[{ queue: 'active' }, p.active], [{ queue: 'backoff' }, p.backoff], [{ queue: 'unschedulable' }, p.unschedulable], [{ queue: 'gated' }, 0]];
  });
  readCounter(registry, 'scheduler_schedule_attempts_total', 'Number of attempts to schedule pods, by the result.', ['result', 'profile'], () => {
    const a = figures().attempts;
    return [[{ result: 'scheduled', profile: 'default-scheduler' }, a.scheduled], [{ result: 'unschedulable', profile: 'default-scheduler' }, a.unschedulable],
      [{ result: 'error', profile: 'default-scheduler' }, a.error]];
  });
}

export function storeCollectors(registry: Registry, figures: () => StoreFigures, objects: () => Array<[string, number]>): void {
  readGauge(registry, 'flotilla_store_revision', 'The newest revision written to the store (etcd\'s revision).', [], () => [[{}, figures().revision]]);
  readGauge(registry, 'flotilla_store_compact_revision', 'Revisions at or below this one have been compacted.', [], () => [[{}, figures().compactRevision]]);
  readGauge(registry, 'apiserver_storage_size_bytes', 'Size of the storage database file physically allocated in bytes.', ['storage_cluster_id'], () => [[{ storage_cluster_id: 'flotilla' }, figures().sizeBytes]]);
  readCounter(registry, 'flotilla_store_writes_total', 'Rows written to the store.', [], () => [[{}, figures().writes]]);
  readCounter(registry, 'flotilla_store_transactions_total', 'SQLite write transactions committed (group commit).', [], () => [[{}, figures().transactions]]);
  readGauge(registry, 'flotilla_store_watchers', 'Live watchers of the store.', [], () => [[{}, figures().watchers]]);
  readCounter(registry, 'flotilla_store_watch_events_total', 'Events delivered to the store\'s watchers, each counted once per watcher it reached.', [], () => [[{}, figures().watchEvents]]);
  readGauge(registry, 'flotilla_store_last_compaction_timestamp_seconds', 'When the store last compacted its history (0: not since start).', [],
    () => [[{}, figures().lastCompactionAt / 1000]]);
  readGauge(registry, 'apiserver_storage_objects', 'Number of stored objects at the time of last check split by kind.', ['resource'], () => objects().map(([r, n]) => [{ resource: r }, n]));
}

/** Each controller's queue as client-go's workqueue metrics: depth, adds, retries, work duration. */
export function workQueueMetrics(registry: Registry): QueueMetricsProvider {
  const registers = [registry];
  const depths = new Map<string, () => number>();
  new Gauge({
    name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames: ['name'], registers,
    collect() {
      this.reset();
      for (const [name, depth] of depths) this.set({ name }, depth());
    },
  });
  const adds = tallyCounter(registry, 'workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
  const retries = tallyCounter(registry, 'workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']);
  const work = new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes.', labelNames: ['name'], buckets: WORK_BUCKETS, registers });
  return {
    forQueue(name, depth) {
      depths.set(name, depth);
      const a = adds.get([name]);
      const r = retries.get([name]);
      const w = work.labels({ name });
      return {
        added: () => {
          a.value++;
        },
        retried: () => {
          r.value++;
        },
        workDone: (s) => w.observe(s),
      };
    },
  };
}
