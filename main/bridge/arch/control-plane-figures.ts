// The control plane's figures from its /metrics page (the same registry Prometheus scrapes): the
// store's revision, size and writes/s; the API server's requests/s by verb, open watches and p99
// latency; the scheduler's queues; each controller's work-queue depth and reconciles/s.
import type { ApiServerFiguresView, ArchActivity, ControllerFigures, SchedulerFiguresView, StoreFiguresView } from '../../api/architecture';
import { bucketDelta, bucketQuantile, type PromIndex } from './prom-index';
import type { CounterRates } from './rates';

export interface ControlPlaneFigures {
  store: StoreFiguresView;
  apiServer: ApiServerFiguresView;
  scheduler: Omit<SchedulerFiguresView, 'lastDecisions'>;
  controllers: ControllerFigures[];
  activity: ArchActivity[];
}

/** Verbs of long-running requests: not counted in requests/s or latency (as Kubernetes' SLO metrics leave them out). */
const LONG_RUNNING = new Set(['WATCH', 'CONNECT']);

export function emptyControlPlane(): ControlPlaneFigures {
  return {
    store: {
      revision: null, compactRevision: null, lastCompactionAt: null, sizeBytes: null,
      writesPerSec: null, watchEventsPerSec: null, watchers: null, objects: null,
    },
    apiServer: { requestsPerSec: {}, totalPerSec: null, watches: null, p99Ms: null, inflight: null },
    scheduler: { active: null, backoff: null, unschedulable: null, scheduled: null, failed: null },
    controllers: [],
    activity: [],
  };
}

export class ControlPlaneReader {
  private lastLatency?: Array<[number, number]>;

  constructor(private readonly rates: CounterRates) {}

  read(m: PromIndex): ControlPlaneFigures {
    const r = this.rates;
    const activity: ArchActivity[] = [];
    const push = (link: ArchActivity['link'], n: number | null): void => { if (n) activity.push({ link, count: n }); };

    const writes = m.sum('flotilla_store_writes_total');
    const watchEvents = m.sum('flotilla_store_watch_events_total');
    const compactedAt = m.sum('flotilla_store_last_compaction_timestamp_seconds');
    const store: StoreFiguresView = {
      revision: m.sum('flotilla_store_revision'), compactRevision: m.sum('flotilla_store_compact_revision'),
      lastCompactionAt: compactedAt ? new Date(compactedAt * 1000).toISOString() : null,
      watchEventsPerSec: watchEvents === null ? null : r.rate('store.watchEvents', watchEvents),
      sizeBytes: m.sum('apiserver_storage_size_bytes'), watchers: m.sum('flotilla_store_watchers'),
      objects: m.sum('apiserver_storage_objects'),
      writesPerSec: writes === null ? null : r.rate('store.writes', writes),
    };
    if (writes !== null) push('api-store', r.delta('store.writes.activity', writes));
    if (watchEvents !== null) push('store-api', r.delta('store.watchEvents.activity', watchEvents));

    const requestsPerSec: Record<string, number> = {};
    let totalPerSec: number | null = null;
    let requests = 0;
    for (const [verb, n] of m.sumBy('apiserver_request_total', 'verb')) {
      if (LONG_RUNNING.has(verb)) continue;
      requests += n;
      const rate = r.rate(`api.${verb}`, n, true);
      if (rate !== null) {
        requestsPerSec[verb] = rate;
        totalPerSec = (totalPerSec ?? 0) + rate;
      }
    }
    push('clients-api', r.delta('api.requests', requests));
    const latency = this.latencyBuckets(m);
    const p99 = bucketQuantile(0.99, bucketDelta(latency, this.lastLatency));
    this.lastLatency = latency;
    const apiServer: ApiServerFiguresView = {
      requestsPerSec, totalPerSec, p99Ms: p99 === null ? null : p99 * 1000,
      watches: m.has('apiserver_longrunning_requests') ? m.sum('apiserver_longrunning_requests', { verb: 'WATCH' }) : null,
      inflight: m.sum('apiserver_current_inflight_requests'),
    };

    const attempts = m.sumBy('scheduler_schedule_attempts_total', 'result');
    const attemptsTotal = m.sum('scheduler_schedule_attempts_total');
    if (attemptsTotal !== null) push('api-scheduler', r.delta('scheduler.attempts', attemptsTotal));
    const scheduler = {
      active: m.sum('scheduler_pending_pods', { queue: 'active' }), backoff: m.sum('scheduler_pending_pods', { queue: 'backoff' }),
      unschedulable: m.sum('scheduler_pending_pods', { queue: 'unschedulable' }),
      scheduled: attempts.get('scheduled') ?? null, failed: attemptsTotal === null ? null : (attempts.get('unschedulable') ?? 0) + (attempts.get('error') ?? 0),
    };

    const depths = m.sumBy('workqueue_depth', 'name');
    const done = m.sumBy('workqueue_work_duration_seconds_count', 'name');
    const controllers = [...depths].map(([name, depth]): ControllerFigures => {
      const reconciles = done.get(name) ?? 0;
      return { name, depth, reconciles, reconcilesPerSec: r.rate(`queue.${name}`, reconciles, true) };
    }).sort((a, b) => a.name.localeCompare(b.name));
    const adds = m.sum('workqueue_adds_total');
    if (adds !== null) push('api-controllers', r.delta('queue.adds', adds));

    return { store, apiServer, scheduler, controllers, activity };
  }

  private latencyBuckets(m: PromIndex): Array<[number, number]> {
    const all = new Map<number, number>();
    for (const s of m.samples('apiserver_request_duration_seconds_bucket')) {
      if (LONG_RUNNING.has(s.labels.verb ?? '')) continue;
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      all.set(le, (all.get(le) ?? 0) + s.value);
    }
    return [...all].sort((a, b) => a[0] - b[0]);
  }
}
