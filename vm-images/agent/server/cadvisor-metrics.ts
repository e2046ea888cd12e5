// GET /metrics/cadvisor: the container metrics the kubelet's embedded cAdvisor serves (its Prometheus collector with the
// kubelet's label function and metric set: CPU, memory, disk I/O, network, processes, OOM), from the node's cgroups.
// Every series has the labels container, id, image, name, namespace and pod (blank when they do not apply): the node's
// root (id "/"), each pod's cgroup, each container and each pod's sandbox ("pause") container, whose series alone carry
// the pod's network. Usage samples are stamped with the time they were read, as cAdvisor's are; spec and start-time
// samples are not. What cAdvisor has and this does not: per-filesystem usage, CPU load, threads and descriptors,
// pressure (PSI), hugetlb, and the kubepods QoS cgroups (a node's pods sit directly under its cgroup here).
import type { CgroupUsage } from '../stats/cgroup-usage';
import type { NetInterface } from '../stats/net-dev';
import type { Family, Sample } from './prom-render';
import { compareCodePoints } from '../../../main/api/string-order';

/** The kubelet's base labels of a cAdvisor series. */
export interface CadvisorLabels { container: string; id: string; image: string; name: string; namespace: string; pod: string }

export interface CadvisorSeries {
  labels: CadvisorLabels;
  usage: CgroupUsage;
  /** When the container (or cgroup) was made, ms since the epoch. */
  createdMs?: number;
  /** The network namespace's interfaces (sandbox containers and the root only). */
  network?: NetInterface[];
}

export interface CadvisorMachine { cores: number; memoryBytes: number; machineID: string; systemUUID: string; bootID: string; sinceMs: number }

export interface CadvisorScrape {
  series: CadvisorSeries[];
  machine: CadvisorMachine;
  /** When the cgroups were read. */
  readMs: number;
  /** Something could not be read (container_scrape_error 1). */
  error: boolean;
}

type Labels = Array<[string, string]>;

/** The base labels with the extra ones, sorted by name (as Prometheus' Go client writes them). */
function labelsOf(base: CadvisorLabels, extra: Record<string, string> = {}): Labels {
  return Object.entries({ ...base, ...extra }).sort(([a], [b]) => compareCodePoints(a, b));
}

interface Def {
  name: string;
  help: string;
  type: Family['type'];
  /** Omitted for the cgroups it does not apply to (cAdvisor's condition on the spec). */
  when?: (u: CgroupUsage) => boolean;
  /** The values with their extra labels; none when the cgroup has no such numbers. */
  values: (s: CadvisorSeries) => Array<{ value: number; extra?: Record<string, string> }>;
}

const one = (v: number | undefined): Array<{ value: number }> => (v === undefined ? [] : [{ value: v }]);
const NS = 1e9;
const hasQuota = (u: CgroupUsage): boolean => u.cpuSpec.quotaUs !== undefined;
const memory = <K extends keyof NonNullable<CgroupUsage['memory']>>(s: CadvisorSeries, k: K): NonNullable<CgroupUsage['memory']>[K] | undefined => s.usage.memory?.[k];
/** A memory number cAdvisor writes as 0 when the cgroup has memory accounting but not that file. */
const memoryOrZero = (s: CadvisorSeries, k: 'kernel' | 'swap' | 'failcnt' | 'maxUsage' | 'oomKills'): Array<{ value: number }> => one(s.usage.memory ? (s.usage.memory[k] ?? 0) : undefined);

function perInterface(key: keyof Omit<NetInterface, 'name'>): Def['values'] {
  return (s) => (s.network ?? []).map((i) => ({ value: i[key], extra: { interface: i.name } }));
}

function perDevice(key: 'readBytes' | 'writeBytes' | 'reads' | 'writes'): Def['values'] {
  return (s) => s.usage.io.map((d) => ({ value: d[key], extra: { device: d.device } }));
}

/** The network families: each interface's counter, from /proc/<pid>/net/dev. */
const NETWORK: Def[] = ([
  ['rxBytes', 'receive_bytes_total', 'bytes received'], ['rxPackets', 'receive_packets_total', 'packets received'],
  ['rxDropped', 'receive_packets_dropped_total', 'packets dropped while receiving'], ['rxErrors', 'receive_errors_total', 'errors encountered while receiving'],
  ['txBytes', 'transmit_bytes_total', 'bytes transmitted'], ['txPackets', 'transmit_packets_total', 'packets transmitted'],
  ['txDropped', 'transmit_packets_dropped_total', 'packets dropped while transmitting'], ['txErrors', 'transmit_errors_total', 'errors encountered while transmitting'],
] as const).map(([key, name, what]) => ({ name: `container_network_${name}`, help: `Cumulative count of ${what}`, type: 'counter', values: perInterface(key) }));

/** The stamped usage families (cAdvisor's containerMetrics for the kubelet's metric set). */
const USAGE: Def[] = [
  { name: 'container_cpu_user_seconds_total', help: 'Cumulative user cpu time consumed in seconds.', type: 'counter', values: (s) => one(s.usage.cpu?.userNs === undefined ? undefined : s.usage.cpu.userNs / NS) },
  { name: 'container_cpu_system_seconds_total', help: 'Cumulative system cpu time consumed in seconds.', type: 'counter', values: (s) => one(s.usage.cpu?.systemNs === undefined ? undefined : s.usage.cpu.systemNs / NS) },
  // Per-CPU accounting is off in the kubelet: one "total" sample, only once the cgroup has used some CPU.
  { name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', type: 'counter', values: (s) => (s.usage.cpu && s.usage.cpu.usageNs > 0 ? [{ value: s.usage.cpu.usageNs / NS, extra: { cpu: 'total' } }] : []) },
  { name: 'container_cpu_cfs_periods_total', help: 'Number of elapsed enforcement period intervals.', type: 'counter', when: hasQuota, values: (s) => one(s.usage.cfs?.periods) },
  { name: 'container_cpu_cfs_throttled_periods_total', help: 'Number of throttled period intervals.', type: 'counter', when: hasQuota, values: (s) => one(s.usage.cfs?.throttledPeriods) },
  { name: 'container_cpu_cfs_throttled_seconds_total', help: 'Total time duration the container has been throttled.', type: 'counter', when: hasQuota, values: (s) => one(s.usage.cfs === undefined ? undefined : s.usage.cfs.throttledNs / NS) },
  { name: 'container_memory_cache', help: 'Number of bytes of page cache memory.', type: 'gauge', values: (s) => one(memory(s, 'cache')) },
  { name: 'container_memory_rss', help: 'Size of RSS in bytes.', type: 'gauge', values: (s) => one(memory(s, 'rss')) },
  { name: 'container_memory_kernel_usage', help: 'Size of kernel memory allocated in bytes.', type: 'gauge', values: (s) => memoryOrZero(s, 'kernel') },
  { name: 'container_memory_mapped_file', help: 'Size of memory mapped files in bytes.', type: 'gauge', values: (s) => one(memory(s, 'mappedFile')) },
  { name: 'container_memory_swap', help: 'Container swap usage in bytes.', type: 'gauge', values: (s) => memoryOrZero(s, 'swap') },
  { name: 'container_memory_failcnt', help: 'Number of memory usage hits limits', type: 'counter', values: (s) => memoryOrZero(s, 'failcnt') },
  { name: 'container_memory_usage_bytes', help: 'Current memory usage in bytes, including all memory regardless of when it was accessed', type: 'gauge', values: (s) => one(memory(s, 'usage')) },
  { name: 'container_memory_max_usage_bytes', help: 'Maximum memory usage recorded in bytes', type: 'gauge', values: (s) => memoryOrZero(s, 'maxUsage') },
  { name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', type: 'gauge', values: (s) => one(memory(s, 'workingSet')) },
  { name: 'container_memory_total_active_file_bytes', help: 'Current total active file in bytes.', type: 'gauge', values: (s) => one(memory(s, 'activeFile')) },
  { name: 'container_memory_total_inactive_file_bytes', help: 'Current total inactive file in bytes.', type: 'gauge', values: (s) => one(memory(s, 'inactiveFile')) },
  {
    name: 'container_memory_failures_total', help: 'Cumulative count of memory allocation failures.', type: 'counter', values: (s) => {
      const m = s.usage.memory;
      if (!m) return [];
      return [
        { value: m.pgfault.container, extra: { failure_type: 'pgfault', scope: 'container' } },
        { value: m.pgmajfault.container, extra: { failure_type: 'pgmajfault', scope: 'container' } },
        { value: m.pgfault.hierarchy, extra: { failure_type: 'pgfault', scope: 'hierarchy' } },
        { value: m.pgmajfault.hierarchy, extra: { failure_type: 'pgmajfault', scope: 'hierarchy' } },
      ];
    },
  },
  { name: 'container_fs_reads_bytes_total', help: 'Cumulative count of bytes read', type: 'counter', values: perDevice('readBytes') },
  { name: 'container_fs_reads_total', help: 'Cumulative count of reads completed', type: 'counter', values: perDevice('reads') },
  { name: 'container_fs_writes_bytes_total', help: 'Cumulative count of bytes written', type: 'counter', values: perDevice('writeBytes') },
  { name: 'container_fs_writes_total', help: 'Cumulative count of writes completed', type: 'counter', values: perDevice('writes') },
  ...NETWORK,
  { name: 'container_processes', help: 'Number of processes running inside the container.', type: 'gauge', values: (s) => one(s.usage.processes) },
  { name: 'container_oom_events_total', help: 'Count of out of memory events observed for the container', type: 'counter', values: (s) => memoryOrZero(s, 'oomKills') },
];

/** cAdvisor's limit value: 0 for none. */
const orZero = (v: number | undefined): number => v ?? 0;

/** The unstamped spec families (from the container's spec). */
const SPEC: Def[] = [
  { name: 'container_start_time_seconds', help: 'Start time of the container since unix epoch in seconds.', type: 'gauge', values: (s) => one(s.createdMs === undefined ? undefined : Math.floor(s.createdMs / 1000)) },
  { name: 'container_spec_cpu_period', help: 'CPU period of the container.', type: 'gauge', values: (s) => one(s.usage.cpu ? orZero(s.usage.cpuSpec.periodUs) : undefined) },
  { name: 'container_spec_cpu_quota', help: 'CPU quota of the container.', type: 'gauge', when: hasQuota, values: (s) => one(s.usage.cpuSpec.quotaUs) },
  { name: 'container_spec_cpu_shares', help: 'CPU share of the container.', type: 'gauge', values: (s) => one(s.usage.cpu ? orZero(s.usage.cpuSpec.shares) : undefined) },
  { name: 'container_spec_memory_limit_bytes', help: 'Memory limit for the container.', type: 'gauge', values: (s) => one(s.usage.memory ? orZero(s.usage.memorySpec.limit) : undefined) },
  { name: 'container_spec_memory_reservation_limit_bytes', help: 'Memory reservation limit for the container.', type: 'gauge', values: (s) => one(s.usage.memory ? orZero(s.usage.memorySpec.reservation) : undefined) },
  { name: 'container_spec_memory_swap_limit_bytes', help: 'Memory swap limit for the container.', type: 'gauge', values: (s) => one(s.usage.memory ? orZero(s.usage.memorySpec.swapLimit) : undefined) },
];

function familyOf(def: Def, series: CadvisorSeries[], timestampMs: number | undefined): Family {
  const samples: Sample[] = series.flatMap((s) => (def.when && !def.when(s.usage) ? [] : def.values(s).map((v) => ({
    labels: labelsOf(s.labels, v.extra), value: v.value, ...(timestampMs !== undefined ? { timestampMs } : {}),
  }))));
  return { name: def.name, help: def.help, type: def.type, samples };
}

/** Every family of one scrape, in the order Prometheus' Go registry writes them. */
export function cadvisorFamilies(scrape: CadvisorScrape): Family[] {
  const { series, machine, readMs } = scrape;
  const machineLabels: Labels = [['boot_id', machine.bootID], ['machine_id', machine.machineID], ['system_uuid', machine.systemUUID]];
  const families: Family[] = [
    ...USAGE.map((d) => familyOf(d, series, readMs)),
    ...SPEC.map((d) => familyOf(d, series, undefined)),
    {
      name: 'container_last_seen', help: 'Last time a container was seen by the exporter', type: 'gauge',
      samples: series.map((s) => ({ labels: labelsOf(s.labels), value: Math.floor(readMs / 1000), timestampMs: readMs })),
    },
    { name: 'container_scrape_error', help: '1 if there was an error while getting container metrics, 0 otherwise', type: 'gauge', samples: [{ labels: [], value: scrape.error ? 1 : 0 }] },
    { name: 'machine_scrape_error', help: '1 if there was an error while getting machine metrics, 0 otherwise.', type: 'gauge', samples: [{ labels: [], value: 0 }] },
    { name: 'machine_cpu_cores', help: 'Number of logical CPU cores.', type: 'gauge', samples: [{ labels: machineLabels, value: machine.cores, timestampMs: machine.sinceMs }] },
    { name: 'machine_memory_bytes', help: 'Amount of memory installed on the machine.', type: 'gauge', samples: [{ labels: machineLabels, value: machine.memoryBytes, timestampMs: machine.sinceMs }] },
  ];
  return families.filter((f) => f.samples.length > 0).sort((a, b) => compareCodePoints(a.name, b.name));
}
