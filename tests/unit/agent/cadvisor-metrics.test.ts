// /metrics/cadvisor's parts: a cgroup's files read as cAdvisor reads them (v1 and v2 trees written to a temp dir),
// /proc/net/dev's interfaces, and the families rendered as the kubelet's cAdvisor collector writes them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCgroupUsage, weightToShares } from '../../../vm-images/agent/stats/cgroup-usage';
import { parseNetDev } from '../../../vm-images/agent/stats/net-dev';
import { cadvisorFamilies, type CadvisorSeries } from '../../../vm-images/agent/server/cadvisor-metrics';
import { renderPrometheusText } from '../../../vm-images/agent/server/prom-render';

const dir = mkdtempSync('/tmp/flt-cgroups-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(base: string, content: Record<string, string>): void {
  mkdirSync(base, { recursive: true });
  for (const [name, text] of Object.entries(content)) writeFileSync(join(base, name), text);
}

describe('a cgroup\'s accounting', () => {
  it('reads cgroup v1: cpuacct ticks to ns, hierarchical memory stats, no quota at -1, unlimited memory as none', () => {
    const root = join(dir, 'v1');
    const cg = '/node-1/podu1/c1';
    files(join(root, 'cpuacct', cg), { 'cpuacct.usage': '2500000000\n', 'cpuacct.stat': 'user 150\nsystem 70\n' });
    files(join(root, 'cpu', cg), { 'cpu.cfs_quota_us': '-1\n', 'cpu.cfs_period_us': '100000\n', 'cpu.shares': '1024\n', 'cpu.stat': 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n' });
    files(join(root, 'memory', cg), {
      'memory.usage_in_bytes': '10485760\n', 'memory.max_usage_in_bytes': '20971520\n', 'memory.failcnt': '3\n', 'memory.limit_in_bytes': '9223372036854771712\n',
      'memory.soft_limit_in_bytes': '9223372036854771712\n', 'memory.kmem.usage_in_bytes': '409600\n', 'memory.oom_control': 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
      'memory.stat': 'cache 1\nrss 2\npgfault 10\npgmajfault 1\nhierarchical_memory_limit 9223372036854771712\ntotal_cache 4096\ntotal_rss 8192\ntotal_mapped_file 1024\n'
        + 'total_swap 0\ntotal_pgfault 100\ntotal_pgmajfault 5\ntotal_inactive_file 2097152\ntotal_active_file 1048576\n',
      'cgroup.procs': '41\n42\n',
    });
    files(join(root, 'blkio', cg), {
      'blkio.throttle.io_service_bytes': '254:0 Read 4096\n254:0 Write 8192\n254:0 Total 12288\nTotal 12288\n', 'blkio.throttle.io_serviced': '254:0 Read 1\n254:0 Write 2\n',
    });
    const u = readCgroupUsage(cg, root);
    expect(u?.cpu).toEqual({ usageNs: 2.5e9, userNs: 1.5e9, systemNs: 0.7e9 });
    expect(u?.cpuSpec).toEqual({ periodUs: 100000, quotaUs: undefined, shares: 1024 });
    expect(u?.memorySpec).toEqual({ limit: undefined, swapLimit: undefined, reservation: undefined });
    expect(u?.memory).toMatchObject({
      usage: 10485760, workingSet: 8388608, rss: 8192, cache: 4096, mappedFile: 1024, swap: 0, kernel: 409600, maxUsage: 20971520, failcnt: 3,
      pgfault: { container: 10, hierarchy: 100 }, pgmajfault: { container: 1, hierarchy: 5 }, oomKills: 2,
    });
    expect(u?.io).toEqual([{ device: expect.any(String) as string, readBytes: 4096, writeBytes: 8192, reads: 1, writes: 2 }]);
    expect(u?.processes).toBe(2);
    expect(readCgroupUsage('/node-1/gone', root)).toBeUndefined();
  });

  it('reads cgroup v2: usec to ns, cpu.max\'s quota, weight to shares, memory.events and memory.peak', () => {
    const root = join(dir, 'v2');
    const cg = '/n/podu2/c2';
    files(join(root, cg), {
      'cpu.stat': 'usage_usec 300000\nuser_usec 200000\nsystem_usec 100000\nnr_periods 50\nnr_throttled 4\nthrottled_usec 12000\n',
      'cpu.max': '50000 100000\n', 'cpu.weight': '100\n', 'memory.current': '5242880\n', 'memory.peak': '6291456\n', 'memory.max': '67108864\n',
      'memory.swap.max': 'max\n', 'memory.swap.current': '0\n', 'memory.low': '0\n', 'memory.events': 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n',
      'memory.stat': 'anon 3145728\nfile 1048576\nkernel 65536\nfile_mapped 4096\nactive_file 524288\ninactive_file 524288\npgfault 40\npgmajfault 2\n',
      'io.stat': '254:0 rbytes=512 wbytes=1024 rios=3 wios=4 dbytes=0 dios=0\n', 'cgroup.procs': '7\n',
    });
    const u = readCgroupUsage(cg, root);
    expect(u?.cpu).toEqual({ usageNs: 3e8, userNs: 2e8, systemNs: 1e8 });
    expect(u?.cfs).toEqual({ periods: 50, throttledPeriods: 4, throttledNs: 1.2e7 });
    expect(u?.cpuSpec).toEqual({ periodUs: 100000, quotaUs: 50000, shares: weightToShares(100) });
    expect(weightToShares(100)).toBe(2597);
    expect(weightToShares(1)).toBe(2);
    expect(u?.memorySpec).toEqual({ limit: 67108864, swapLimit: undefined, reservation: undefined });
    expect(u?.memory).toMatchObject({
      usage: 5242880, workingSet: 4718592, rss: 3145728, cache: 1048576, kernel: 65536, maxUsage: 6291456, failcnt: 7, oomKills: 1,
    });
    expect(u?.io.map((d) => [d.readBytes, d.writeBytes, d.reads, d.writes])).toEqual([[512, 1024, 3, 4]]);
  });
});

describe('/proc/net/dev', () => {
  it('lists the interfaces but loopback, veth and docker ones', () => {
    const text = 'Inter-|   Receive                                                |  Transmit\n'
      + ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n'
      + '    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n'
      + '  eth0:    5000      40    1    2    0     0          0         0     3000      30    3    4    0     0       0          0\n'
      + 'veth12:       1       1    0    0    0     0          0         0        1       1    0    0    0     0       0          0\n';
    expect(parseNetDev(text)).toEqual([{ name: 'eth0', rxBytes: 5000, rxPackets: 40, rxErrors: 1, rxDropped: 2, txBytes: 3000, txPackets: 30, txErrors: 3, txDropped: 4 }]);
  });
});

describe('the families (/metrics/cadvisor)', () => {
  const base = { container: '', id: '', image: '', name: '', namespace: '', pod: '' };
  const usage = (quota?: number): CadvisorSeries['usage'] => ({
    cpu: { usageNs: 1.5e9, userNs: 1e9, systemNs: 0.5e9 }, cfs: { periods: 10, throttledPeriods: 1, throttledNs: 2e6 },
    cpuSpec: { periodUs: 100000, quotaUs: quota, shares: 2 },
    memory: {
      usage: 2e7, workingSet: 1.5e7, rss: 1e7, cache: 5e6, mappedFile: 0, activeFile: 1, inactiveFile: 5e6,
      pgfault: { container: 3, hierarchy: 3 }, pgmajfault: { container: 0, hierarchy: 0 },
    },
    memorySpec: { limit: quota ? 134217728 : undefined }, io: [],
  });
  const series: CadvisorSeries[] = [
    { labels: { ...base, id: '/' }, usage: usage(), network: [{ name: 'eth0', rxBytes: 9, rxPackets: 1, rxErrors: 0, rxDropped: 0, txBytes: 8, txPackets: 1, txErrors: 0, txDropped: 0 }] },
    { labels: { ...base, container: 'web', id: '/podu1/c1', image: 'docker.io/library/nginx:1.25', name: 'c1', namespace: 'default', pod: 'web-1' }, usage: usage(50000), createdMs: 1796547540123 },
  ];
  const readMs = 1796547600500;
  const text = renderPrometheusText(cadvisorFamilies({ series, machine: { cores: 2, memoryBytes: 2147483648, machineID: 'm', systemUUID: 's', bootID: 'b', sinceMs: 1796547000000 }, readMs, error: false }));

  it('writes cAdvisor\'s families with the kubelet\'s labels, sorted, usage stamped with its read time', () => {
    expect(text).toContain('# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n# TYPE container_cpu_usage_seconds_total counter\n'
      + `container_cpu_usage_seconds_total{container="",cpu="total",id="/",image="",name="",namespace="",pod=""} 1.5 ${readMs}\n`
      + `container_cpu_usage_seconds_total{container="web",cpu="total",id="/podu1/c1",image="docker.io/library/nginx:1.25",name="c1",namespace="default",pod="web-1"} 1.5 ${readMs}\n`);
    expect(text).toContain(`container_memory_working_set_bytes{container="web",id="/podu1/c1",image="docker.io/library/nginx:1.25",name="c1",namespace="default",pod="web-1"} 1.5e+07 ${readMs}\n`);
    expect(text).toContain(`container_memory_failures_total{container="",failure_type="pgfault",id="/",image="",name="",namespace="",pod="",scope="container"} 3 ${readMs}\n`);
    // Start time and spec samples carry no timestamp; seconds since the epoch in Go's exponent form.
    expect(text).toContain('container_start_time_seconds{container="web",id="/podu1/c1",image="docker.io/library/nginx:1.25",name="c1",namespace="default",pod="web-1"} 1.79654754e+09\n');
    expect(text).toContain('container_spec_memory_limit_bytes{container="",id="/",image="",name="",namespace="",pod=""} 0\n');
    expect(text).toContain('\ncontainer_scrape_error 0\n');
    expect(text).toContain('machine_cpu_cores{boot_id="b",machine_id="m",system_uuid="s"} 2 1796547000000\n');
  });

  it('has CFS throttling and the quota only for a cgroup with a quota, and network only where the namespace was read', () => {
    const lines = (name: string): string[] => text.split('\n').filter((l) => l.startsWith(`${name}{`));
    expect(lines('container_cpu_cfs_throttled_periods_total')).toEqual([`container_cpu_cfs_throttled_periods_total{container="web",id="/podu1/c1",image="docker.io/library/nginx:1.25",name="c1",namespace="default",pod="web-1"} 1 ${readMs}`]);
    expect(lines('container_spec_cpu_quota').map((l) => l.split(' ')[1])).toEqual(['50000']);
    expect(lines('container_network_receive_bytes_total')).toEqual([`container_network_receive_bytes_total{container="",id="/",image="",interface="eth0",name="",namespace="",pod=""} 9 ${readMs}`]);
    const names = text.split('\n').filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2] ?? '');
    expect(names).toEqual([...names].sort());
  });

  it('says container_scrape_error 1 when the runtime did not answer', () => {
    const failed = renderPrometheusText(cadvisorFamilies({ series: [], machine: { cores: 1, memoryBytes: 1, machineID: '', systemUUID: '', bootID: '', sinceMs: 0 }, readMs, error: true }));
    expect(failed).toContain('\ncontainer_scrape_error 1\n');
    expect(failed).not.toContain('container_cpu_usage_seconds_total{');
  });
});
