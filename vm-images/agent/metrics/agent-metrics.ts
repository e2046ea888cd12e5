// The agent's Prometheus metrics (GET /metrics on its server), named as the kubelet's and kube-proxy's:
// running pods and containers read from containerd at scrape time, pod-worker syncs, probe results,
// and the proxier's syncs and rule counts. One registry per agent; the control plane's architecture
// view reads the same page. The probes' counter is also on the kubelet's /metrics/probes page (its own registry there,
// with the process's start time).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CriClient } from '../cri/client';

/** The kubelet's buckets for kubelet_pod_worker_duration_seconds (and kubeproxy's sync durations): 5 ms … 10 s. */
export const SYNC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** kubelet_pod_start_duration_seconds' buckets. */
export const POD_START_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];

export type ProbeType = 'liveness' | 'readiness' | 'startup';

export interface ProbeLabels {
  probeType: ProbeType; result: 'successful' | 'failed' | 'unknown'; container: string; pod: string; namespace: string; podUid: string;
}

export interface AgentMetrics {
  registry: Registry;
  /** GET /metrics/probes: prober_probe_total, prober_probe_duration_seconds and process_start_time_seconds, as the kubelet's prober registry. */
  probesRegistry: Registry;
  /** One pod-worker pass took this long. */
  podSync(seconds: number): void;
  /** A pod's first Running status, this long after the kubelet first saw it. */
  podStarted(seconds: number): void;
  /** One probe attempt (before thresholds) and how long it took (prober_probe_total, prober_probe_duration_seconds). */
  probe(labels: ProbeLabels, seconds: number): void;
  /** One proxier sync: its duration and the rules now programmed per table. */
  proxySync(seconds: number, rulesByTable: Record<string, number>): void;
}

/** The kubelet's probe_type label: its probeType's String() ("Readiness", not the API's field name). */
const PROBE_TYPE_LABEL: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

const CONTAINER_STATES: Record<string, string> = {
  CONTAINER_CREATED: 'created', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited', CONTAINER_UNKNOWN: 'unknown',
};

export function createAgentMetrics(nodeName: string, cri: CriClient): AgentMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({ name: 'kubelet_node_name', help: '[ALPHA] The node\'s name. The count is always 1.', labelNames: ['node'], registers }).set({ node: nodeName }, 1);
  new Gauge({
    name: 'kubelet_running_pods', help: '[ALPHA] Number of pods that have a running pod sandbox', registers,
    async collect() {
      const sandboxes = await cri.listPodSandbox({ state: { state: 'SANDBOX_READY' } });
      this.set(sandboxes.length);
    },
  });
  new Gauge({
    name: 'kubelet_running_containers', help: '[ALPHA] Number of containers currently running', labelNames: ['container_state'], registers,
    async collect() {
      const byState = new Map<string, number>(Object.values(CONTAINER_STATES).map((s) => [s, 0]));
      for (const c of await cri.listContainers()) {
        const s = CONTAINER_STATES[c.state] ?? 'unknown';
        byState.set(s, (byState.get(s) ?? 0) + 1);
      }
      this.reset();
      for (const [s, n] of byState) this.set({ container_state: s }, n);
    },
  });
  const podWorker = new Histogram({
    name: 'kubelet_pod_worker_duration_seconds', help: '[ALPHA] Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync',
    labelNames: ['operation_type'], buckets: SYNC_BUCKETS, registers,
  });
  const podStart = new Histogram({
    name: 'kubelet_pod_start_duration_seconds', help: '[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
    buckets: POD_START_BUCKETS, registers,
  });
  const probesRegistry = new Registry();
  const probes = new Counter({
    name: 'prober_probe_total', help: '[ALPHA] Cumulative number of a liveness, readiness or startup probe for a container by result.',
    labelNames: ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid'], registers: [registry, probesRegistry],
  });
  // Registered with the probes' registry alone, as the kubelet's; prometheus' default buckets (none are given there).
  const probeDuration = new Histogram({
    name: 'prober_probe_duration_seconds', help: '[ALPHA] Duration in seconds for a probe response.',
    labelNames: ['probe_type', 'container', 'pod', 'namespace'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [probesRegistry],
  });
  new Gauge({ name: 'process_start_time_seconds', help: '[ALPHA] Start time of the process since unix epoch in seconds.', registers: [probesRegistry] })
    .set(Math.round(Date.now() / 1000 - process.uptime()));
  const proxyDuration = new Histogram({
    name: 'kubeproxy_sync_proxy_rules_duration_seconds', help: '[ALPHA] SyncProxyRules latency in seconds', buckets: SYNC_BUCKETS, registers,
  });
  const proxyLast = new Gauge({ name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds', help: '[ALPHA] The last time proxy rules were successfully synced', registers });
  const proxyRules = new Gauge({
    name: 'kubeproxy_sync_proxy_rules_iptables_total', help: '[ALPHA] Total number of iptables rules owned by kube-proxy', labelNames: ['table'], registers,
  });
  return {
    registry,
    probesRegistry,
    podSync: (s) => podWorker.observe({ operation_type: 'sync' }, s),
    podStarted: (s) => podStart.observe(s),
    probe(l, seconds) {
      const probeType = PROBE_TYPE_LABEL[l.probeType];
      probes.inc({ probe_type: probeType, result: l.result, container: l.container, pod: l.pod, namespace: l.namespace, pod_uid: l.podUid });
      probeDuration.observe({ probe_type: probeType, container: l.container, pod: l.pod, namespace: l.namespace }, seconds);
    },
    proxySync(seconds, rulesByTable) {
      proxyDuration.observe(seconds);
      proxyLast.set(Date.now() / 1000);
      for (const [table, n] of Object.entries(rulesByTable)) proxyRules.set({ table }, n);
    },
  };
}
