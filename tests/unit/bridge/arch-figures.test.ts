// The architecture view's control-plane and agent figures, read from the pages the real metric modules
// write (the API server's request metrics, the store's, the scheduler's, the work queues', the agent's):
// rates between two readings, p99 over the interval, activity per link, and the agent's kubelet/kube-proxy figures.
import { describe, expect, it } from 'vitest';
import type { Registry } from 'prom-client';
import { createControlPlaneMetrics } from '../../../main/apiserver/metrics/registry';
import { schedulerCollectors, storeCollectors, workQueueMetrics, type SchedulerFigures, type StoreFigures } from '../../../main/apiserver/metrics/components';
import type { RequestInfo } from '../../../main/apiserver/request';
import { parsePromText } from '../../../main/protocol/prom-text';
import { ControlPlaneReader } from '../../../main/bridge/arch/control-plane-figures';
import { agentFigures } from '../../../main/bridge/arch/node-figures';
import { PromIndex, bucketQuantile } from '../../../main/bridge/arch/prom-index';
import { CounterRates } from '../../../main/bridge/arch/rates';
import { createAgentMetrics } from '../../../vm-images/agent/metrics/agent-metrics';
import type { CriClient } from '../../../vm-images/agent/cri/client';

const page = async (r: Registry): Promise<PromIndex> => new PromIndex(parsePromText(await r.metrics()));

function info(verb: RequestInfo['verb'], resource: string): RequestInfo {
  return { isResource: true, verb, group: '', version: 'v1', namespace: 'default', resource, path: `/api/v1/${resource}`, query: new URLSearchParams() };
}

describe('the control plane figures', () => {
  it('reads the store, API server, scheduler and work queues from one /metrics page, with rates between readings', async () => {
    const m = createControlPlaneMetrics();
    const store: StoreFigures = {
      revision: 40, compactRevision: 5, sizeBytes: 81920, writes: 100, transactions: 50, watchers: 7, watchEvents: 300, lastCompactionAt: 0,
    };
    const sched: SchedulerFigures = { pending: { active: 1, backoff: 2, unschedulable: 3 }, attempts: { scheduled: 9, unschedulable: 1, error: 0 } };
    storeCollectors(m.registry, () => store, () => [['pods', 4], ['nodes', 1]]);
    schedulerCollectors(m.registry, () => sched);
    const queues = workQueueMetrics(m.registry);
    let depth = 2;
    const q = queues.forQueue('deployment', () => depth);
    const stopWatch = m.requests.longRunning(info('watch', 'pods'), 'WATCH');
    m.requests.begin('GET')(info('get', 'pods'), 200, undefined);

    const rates = new CounterRates();
    const reader = new ControlPlaneReader(rates);
    rates.begin(10_000);
    const first = reader.read(await page(m.registry));
    expect(first.store).toEqual({
      revision: 40, compactRevision: 5, lastCompactionAt: null, sizeBytes: 81920, writesPerSec: null, watchEventsPerSec: null, watchers: 7, objects: 5,
    });
    expect(first.apiServer.watches).toBe(1);
    expect(first.apiServer.totalPerSec).toBeNull();
    expect(first.scheduler).toEqual({ active: 1, backoff: 2, unschedulable: 3, scheduled: 9, failed: 1 });
    expect(first.controllers).toEqual([{ name: 'deployment', depth: 2, reconciles: 0, reconcilesPerSec: null }]);
    expect(first.activity).toEqual([]);

    // Two seconds later: 20 writes, 6 POSTs and 2 GETs, 4 reconciles, 2 scheduling attempts.
    store.revision = 60;
    store.writes = 120;
    store.watchEvents = 360;
    store.lastCompactionAt = Date.parse('2026-12-03T21:30:00.500Z');
    sched.attempts.scheduled = 11;
    for (let i = 0; i < 6; i++) m.requests.begin('POST')(info('create', 'pods'), 201, 'application/json');
    for (let i = 0; i < 2; i++) m.requests.begin('GET')(info('list', 'pods'), 200, undefined);
    for (let i = 0; i < 4; i++) {
      q.added();
      q.workDone(0.001);
    }
    depth = 0;
    stopWatch();
    rates.begin(12_000);
    const second = reader.read(await page(m.registry));
    expect(second.store.writesPerSec).toBe(10);
    expect(second.store.watchEventsPerSec).toBe(30);
    expect(second.store.lastCompactionAt).toBe('2026-12-03T21:30:00.500Z');
    expect(second.apiServer.requestsPerSec).toEqual({ GET: 0, LIST: 1, POST: 3 });
    expect(second.apiServer.totalPerSec).toBe(4);
    expect(second.apiServer.watches).toBe(0);
    // Eight requests in the interval, each answered at once: p99 inside one of the lower buckets (kube-apiserver's, up to 60 s).
    expect(second.apiServer.p99Ms).toBeGreaterThan(0);
    expect(second.apiServer.p99Ms).toBeLessThanOrEqual(1000);
    expect(second.controllers).toEqual([{ name: 'deployment', depth: 0, reconciles: 4, reconcilesPerSec: 2 }]);
    expect(second.activity).toEqual([
      { link: 'api-store', count: 20 }, { link: 'store-api', count: 60 }, { link: 'clients-api', count: 8 }, { link: 'api-scheduler', count: 2 }, { link: 'api-controllers', count: 4 },
    ]);
  });

  it('interpolates quantiles inside buckets as histogram_quantile does', () => {
    expect(bucketQuantile(0.5, [[1, 10], [2, 30], [Infinity, 30]])).toBeCloseTo(1.25);
    expect(bucketQuantile(0.99, [[1, 0], [Infinity, 0]])).toBeNull();
    expect(bucketQuantile(0.99, [[1, 1], [Infinity, 10]])).toBe(1);
  });
});

describe('the agent figures', () => {
  it('reads the kubelet\'s and kube-proxy\'s metrics of one agent page', async () => {
    // containerd's answers (the CRI client is the agent's boundary to the runtime).
    const cri = {
      listPodSandbox: async () => [{ id: 'a' }, { id: 'b' }],
      listContainers: async () => [{ state: 'CONTAINER_RUNNING' }, { state: 'CONTAINER_RUNNING' }, { state: 'CONTAINER_EXITED' }],
    } as unknown as CriClient;
    const agent = createAgentMetrics('node-1', cri);
    agent.podSync(0.01);
    agent.podSync(0.02);
    agent.podStarted(1.5);
    agent.probe({ probeType: 'readiness', result: 'successful', container: 'web', pod: 'p', namespace: 'default', podUid: 'u1' }, 0.002);
    agent.probe({ probeType: 'liveness', result: 'failed', container: 'web', pod: 'p', namespace: 'default', podUid: 'u1' }, 0.003);
    agent.proxySync(0.004, { nat: 31, filter: 6 });
    const rates = new CounterRates();
    rates.begin(1000);
    const f = agentFigures('node-1', await page(agent.registry), rates);
    expect(f).toMatchObject({
      source: 'agent', runningPods: 2, containers: { running: 2, exited: 1, created: 0 }, podSyncs: 2, podSyncsPerSec: null,
      probes: { successful: 1, failed: 1 }, proxyRules: 37,
    });
    expect(f.proxyLastSyncMs).toBeCloseTo(4);
    expect(f.podStartP50).toBeGreaterThan(1);
    expect(f.podStartP50).toBeLessThanOrEqual(2);
    expect(Date.parse(f.proxyLastSyncAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    agent.proxySync(0.010, { nat: 40, filter: 6 });
    for (let i = 0; i < 4; i++) agent.podSync(0.01);
    rates.begin(3000);
    const g = agentFigures('node-1', await page(agent.registry), rates);
    expect(g.podSyncsPerSec).toBe(2);
    expect(g.proxyLastSyncMs).toBeCloseTo(10);
    expect(g.proxyRules).toBe(46);
  });
});
