// The kubelet endpoints the agent serves besides stats: /metrics/resource's text (Go's number formatting, the
// kubelet's families, order and timestamps), /configz's durations and /pods' list.
import { describe, expect, it } from 'vitest';
import { resourceMetricsText } from '../../../vm-images/agent/server/resource-metrics';
import { goFloat } from '../../../vm-images/agent/server/prom-render';
import { kubeletConfigz } from '../../../vm-images/agent/server/configz';
import { formatGoDurationMs } from '../../../main/api/go-duration';
import { kubeletPodList } from '../../../vm-images/agent/server/pod-list';
import type { StatsSummary } from '../../../main/protocol/stats-summary';

describe('goFloat (strconv.FormatFloat(v, \'g\', -1, 64))', () => {
  it('writes the shortest digits, in exponent form below 1e-4 and from 1e6 up', () => {
    expect([0, 1, 0.5, 123456, 1234567, 10985472, 1e6, 0.0001, 0.00001234, 1.5e21, -2.5e-7, 3.25].map(goFloat)).toEqual(
      ['0', '1', '0.5', '123456', '1.234567e+06', '1.0985472e+07', '1e+06', '0.0001', '1.234e-05', '1.5e+21', '-2.5e-07', '3.25'],
    );
    expect([Infinity, -Infinity, NaN].map(goFloat)).toEqual(['+Inf', '-Inf', 'NaN']);
  });
});

describe('resource metrics (/metrics/resource)', () => {
  const t = '2026-12-06T09:00:00.123Z';
  const summary: StatsSummary = {
    node: { nodeName: 'n1', cpu: { time: t, usageCoreNanoSeconds: 12_500_000_000, usageNanoCores: 5 }, memory: { time: t, workingSetBytes: 104857600 } },
    pods: [
      {
        podRef: { name: 'web', namespace: 'default', uid: 'u1' },
        containers: [
          { name: 'side', startTime: '2026-12-06T08:59:00Z', cpu: { time: t, usageCoreNanoSeconds: 1_000_000 }, memory: { time: t, workingSetBytes: 2048 } },
          { name: 'app"x', startTime: '2026-12-06T08:58:00Z', cpu: { time: t, usageCoreNanoSeconds: 250_000_000 }, memory: { time: t } },
        ],
        cpu: { time: t, usageCoreNanoSeconds: 251_000_000 },
        memory: { time: t, workingSetBytes: 2048 },
      },
    ],
  };

  it('has the kubelet\'s families in name order, labels sorted, CPU in core-seconds, samples stamped with their stats\' time', () => {
    const text = resourceMetricsText(summary);
    const at = Date.parse(t);
    expect(text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2])).toEqual([
      'container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'container_start_time_seconds', 'node_cpu_usage_seconds_total',
      'node_memory_working_set_bytes', 'pod_cpu_usage_seconds_total', 'pod_memory_working_set_bytes', 'resource_scrape_error', 'scrape_error',
    ]);
    expect(text).toContain('# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n# TYPE node_cpu_usage_seconds_total counter\n');
    expect(text).toContain(`\nnode_cpu_usage_seconds_total 12.5 ${at}\n`);
    expect(text).toContain(`\nnode_memory_working_set_bytes 1.048576e+08 ${at}\n`);
    // A label value is escaped; samples in label-value order (app"x before side).
    expect(text).toContain(`container_cpu_usage_seconds_total{container="app\\"x",namespace="default",pod="web"} 0.25 ${at}\ncontainer_cpu_usage_seconds_total{container="side",namespace="default",pod="web"} 0.001 ${at}\n`);
    // No working set, no sample (the kubelet leaves out what the stats lack).
    expect(text).not.toContain('container_memory_working_set_bytes{container="app');
    // Seconds since the epoch are above 1e6: Go writes them in exponent form, as a kubelet's 1.6243953e+09.
    expect(text).toContain('container_start_time_seconds{container="side",namespace="default",pod="web"} 1.79654754e+09\n');
    expect(text).toContain(`pod_cpu_usage_seconds_total{namespace="default",pod="web"} 0.251 ${at}\n`);
    expect(text).toContain('\nresource_scrape_error 0\n');
    expect(text).toContain('# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise\n');
  });

  it('says resource_scrape_error 1 and nothing else when the stats could not be taken', () => {
    expect(resourceMetricsText(undefined)).toBe([
      '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
      '# TYPE resource_scrape_error gauge', 'resource_scrape_error 1',
      '# HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise',
      '# TYPE scrape_error gauge', 'scrape_error 1', '',
    ].join('\n'));
  });
});

describe('/configz and /pods', () => {
  it('writes durations as Go does and only the settings in force, without kind or apiVersion', () => {
    expect([5, 10, 40, 60, 300, 3600, 3725].map((s) => formatGoDurationMs(s * 1000))).toEqual(['5s', '10s', '40s', '1m0s', '5m0s', '1h0m0s', '1h2m5s']);
    const z = kubeletConfigz({ config: { containerdSocket: '/run/containerd/containerd.sock', logDir: '/var/log/pods', cgroupParent: '', statusReportSeconds: 10 }, port: 10250 });
    expect(z.kubeletconfig).toMatchObject({
      port: 10250, clusterDomain: 'cluster.local', clusterDNS: ['10.96.0.10'], nodeStatusUpdateFrequency: '10s', nodeStatusReportFrequency: '5m0s',
      nodeLeaseDurationSeconds: 40, maxPods: 110, containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock', cgroupDriver: 'cgroupfs',
    });
    expect(z.kubeletconfig).not.toHaveProperty('kind');
    expect(z.kubeletconfig).not.toHaveProperty('cgroupRoot');
  });

  it('lists the pods as a PodList whose items carry no type of their own, in namespace/name order', () => {
    const list = kubeletPodList([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'x' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'y' } },
      { metadata: { name: 'c', namespace: 'x' } },
    ]);
    expect(list).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: {} });
    expect(list.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['x/b', 'x/c', 'y/a']);
    expect(list.items.some((p) => 'kind' in p || 'apiVersion' in p)).toBe(false);
  });
});
