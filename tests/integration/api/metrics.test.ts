// The control plane's Prometheus metrics at the API server's /metrics, with real kubectl: the text
// format, kube-apiserver's request metrics moving with real requests, open watches, the
// scheduler's queue and attempts, the controllers' work queues, the store; RBAC's system:monitoring.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { startTestCluster, waitFor } from '../../helpers/cluster';
import type { TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

/** One sample line: name{labels} value. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

interface Sample { name: string; labels: Record<string, string>; value: number }

/** Parses the text format strictly: every line a HELP, a TYPE (before its samples) or a sample. */
function parse(text: string): Sample[] {
  const typed = new Set<string>();
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
        typed.add(meta[2]);
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    expect(typed.has(m[1]) || typed.has(family), `${m[1]} has a TYPE line first`).toBe(true);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').slice(1, -1).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(token?: string): Promise<Sample[]> {
  return parse(await c.kubectlOk(['get', '--raw', '/metrics'], { token }));
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

describe('/metrics', () => {
  it('is Prometheus text that kubectl get --raw reads, and counts requests as kube-apiserver does', async () => {
    const before = await scrape();
    const posts = { verb: 'POST', resource: 'configmaps', code: '201', scope: 'namespace', component: 'apiserver' };
    await c.kubectlOk(['create', 'configmap', 'm1', '--from-literal=a=b']);
    await c.kubectlOk(['get', 'configmaps']);
    const after = await scrape();
    expect(value(after, 'apiserver_request_total', posts) - value(before, 'apiserver_request_total', posts)).toBe(1);
    expect(value(after, 'apiserver_request_total', { verb: 'LIST', resource: 'configmaps', code: '200' })).toBeGreaterThan(value(before, 'apiserver_request_total', { verb: 'LIST', resource: 'configmaps', code: '200' }));
    expect(value(after, 'apiserver_request_duration_seconds_count', { verb: 'POST', resource: 'configmaps' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'apiserver_request_duration_seconds_bucket', { verb: 'POST', resource: 'configmaps', le: '60' })).toBe(value(after, 'apiserver_request_duration_seconds_count', { verb: 'POST', resource: 'configmaps' }));
    // A 404 is counted with its code.
    expect((await c.kubectl(['get', 'configmap', 'nope'])).code).not.toBe(0);
    expect(value(await scrape(), 'apiserver_request_total', { verb: 'GET', resource: 'configmaps', scope: 'resource', code: '404' })).toBe(1);
    expect(value(after, 'apiserver_storage_objects', { resource: 'configmaps' })).toBe(c.core.store.count('/registry/core/configmaps/'));
    expect(value(after, 'flotilla_store_revision')).toBeLessThanOrEqual(c.core.store.revision);
    expect(value(after, 'flotilla_store_revision')).toBeGreaterThan(0);
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('shows open watches as long-running requests', async () => {
    const labels = { verb: 'WATCH', resource: 'configmaps' };
    const base = value(await scrape(), 'apiserver_longrunning_requests', labels);
    const w = c.client.watch({ group: '', version: 'v1', plural: 'configmaps', namespaced: true }, { namespace: 'default' }, () => undefined, () => undefined);
    try {
      await waitFor(async () => value(await scrape(), 'apiserver_longrunning_requests', labels) === base + 1, 'the watch to be counted', 10_000);
    } finally {
      w.stop();
    }
    await waitFor(async () => value(await scrape(), 'apiserver_longrunning_requests', labels) === base, 'the watch to be gone', 10_000);
  });

  it('has the scheduler\'s queue and attempts, and the controllers\' work queues', async () => {
    const pod: KObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nowhere', namespace: 'default' },
      spec: { nodeSelector: { 'no-such': 'node' }, containers: [{ name: 'c', image: 'x' }] },
    };
    await c.client.create({ group: '', version: 'v1', plural: 'pods', namespaced: true }, pod);
    await waitFor(async () => value(await scrape(), 'scheduler_pending_pods', { queue: 'unschedulable' }) >= 1, 'the pod in the unschedulable queue', 15_000);
    const s = await scrape();
    expect(value(s, 'scheduler_schedule_attempts_total', { result: 'unschedulable', profile: 'default-scheduler' })).toBeGreaterThanOrEqual(1);
    const adds = value(s, 'workqueue_adds_total', { name: 'deployment' });
    await c.kubectlOk(['create', 'deployment', 'web', '--image=x']);
    await waitFor(async () => value(await scrape(), 'workqueue_adds_total', { name: 'deployment' }) > adds, 'the deployment controller\'s queue to count the add', 10_000);
    const later = await scrape();
    expect(later.some((x) => x.name === 'workqueue_depth' && x.labels.name === 'replicaset')).toBe(true);
    expect(value(later, 'workqueue_work_duration_seconds_count', { name: 'deployment' })).toBeGreaterThanOrEqual(1);
  });

  it('is for system:monitoring (and admins): others get Kubernetes\' 403', async () => {
    await c.kubectlOk(['create', 'serviceaccount', 'scraper']);
    const token = (await c.kubectlOk(['create', 'token', 'scraper'])).trim();
    const denied = await c.kubectl(['get', '--raw', '/metrics'], { token });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('Error from server (Forbidden): forbidden: User "system:serviceaccount:default:scraper" cannot get path "/metrics"');
    await c.kubectlOk(['create', 'clusterrolebinding', 'scrape', '--clusterrole=system:monitoring', '--serviceaccount=default:scraper']);
    await waitFor(async () => (await c.kubectl(['get', '--raw', '/metrics'], { token })).code === 0, 'the binding to take effect', 10_000);
    expect(value(await scrape(token), 'apiserver_request_total')).toBeGreaterThan(0);
  });
});

describe('/metrics off', () => {
  it('is 404 when the core runs without metrics', async () => {
    const off = await startTestCluster({ metrics: false, controllers: false });
    try {
      const r = await off.kubectl(['get', '--raw', '/metrics']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('NotFound');
    } finally {
      await off.stop();
    }
  });
});
