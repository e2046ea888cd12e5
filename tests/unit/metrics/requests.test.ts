// The API server's request metrics as kube-apiserver names them, counted through tallies: requests per label set
// and code, the latency histogram per label set (watches excluded), requests in flight by kind; and APF's figures.
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { requestMetrics } from '../../../main/apiserver/metrics/requests';
import { flowControlMetrics } from '../../../main/apiserver/metrics/flowcontrol';
import { parseRequestInfo } from '../../../main/apiserver/request';
import { parsePromText, type PromSample } from '../../../main/protocol/prom-text';

async function samples(registry: Registry): Promise<PromSample[]> {
  return parsePromText(await registry.metrics()).flatMap((f) => f.samples);
}

function value(all: PromSample[], name: string, labels: Record<string, string> = {}): number {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

describe('request metrics', () => {
  it('count requests by label set and code, and time them, as kube-apiserver labels them', async () => {
    const registry = new Registry();
    const m = requestMetrics(registry);
    const get = parseRequestInfo('GET', '/api/v1/namespaces/ns/configmaps/a');
    const post = parseRequestInfo('POST', '/api/v1/namespaces/ns/configmaps?dryRun=All');
    m.begin('GET')(get, 200, undefined);
    m.begin('GET')(get, 200, undefined);
    m.begin('GET')(get, 404, undefined);
    const pending = m.begin('POST');
    expect(value(await samples(registry), 'apiserver_current_inflight_requests', { request_kind: 'mutating' })).toBe(1);
    pending(post, 201, 'application/json');
    const s = await samples(registry);
    const getLabels = { verb: 'GET', dry_run: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', component: 'apiserver' };
    expect(value(s, 'apiserver_request_total', { ...getLabels, code: '200' })).toBe(2);
    expect(value(s, 'apiserver_request_total', { ...getLabels, code: '404' })).toBe(1);
    expect(value(s, 'apiserver_request_total', { verb: 'POST', dry_run: 'All', scope: 'namespace', code: '201' })).toBe(1);
    expect(value(s, 'apiserver_request_duration_seconds_count', getLabels)).toBe(3);
    expect(value(s, 'apiserver_request_duration_seconds_bucket', { ...getLabels, le: '+Inf' })).toBe(3);
    expect(value(s, 'apiserver_request_duration_seconds_count', { verb: 'POST', dry_run: 'All' })).toBe(1);
    expect(value(s, 'apiserver_current_inflight_requests', { request_kind: 'mutating' })).toBe(0);
    expect(value(s, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBe(0);
    // Every sample of apiserver_request_total carries all nine labels.
    for (const x of s.filter((y) => y.name === 'apiserver_request_total')) expect(Object.keys(x.labels)).toHaveLength(9);
  });

  it('leave watches out of the latency histogram but count them', async () => {
    const registry = new Registry();
    const m = requestMetrics(registry);
    m.begin('GET')(parseRequestInfo('GET', '/api/v1/pods?watch=true'), 200, undefined);
    const s = await samples(registry);
    expect(value(s, 'apiserver_request_total', { verb: 'WATCH', code: '200' })).toBe(1);
    expect(value(s, 'apiserver_request_duration_seconds_count', { verb: 'WATCH' })).toBe(0);
  });
});

describe('API Priority and Fairness metrics', () => {
  it('count dispatched, executing, queued and rejected requests per priority level and flow schema', async () => {
    const registry = new Registry();
    const m = flowControlMetrics(registry);
    const f = m.flow('workload-low', 'service-accounts');
    expect(m.flow('workload-low', 'service-accounts')).toBe(f);
    f.dispatched();
    f.dispatched();
    f.released();
    f.queued(1);
    f.rejected('queue-full');
    const pair = { priority_level: 'workload-low', flow_schema: 'service-accounts' };
    const s = await samples(registry);
    expect(value(s, 'apiserver_flowcontrol_dispatched_requests_total', pair)).toBe(2);
    expect(value(s, 'apiserver_flowcontrol_current_executing_requests', pair)).toBe(1);
    expect(value(s, 'apiserver_flowcontrol_current_inqueue_requests', pair)).toBe(1);
    expect(value(s, 'apiserver_flowcontrol_rejected_requests_total', { ...pair, reason: 'queue-full' })).toBe(1);
  });
});
