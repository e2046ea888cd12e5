// A node's agent figures from its /metrics page (kubelet_* and kubeproxy_* as the kubelet and
// kube-proxy name them), or the empty figures of a node whose agent cannot be asked.
import type { AgentFiguresView } from '../../api/architecture';
import { bucketQuantile, type PromIndex } from './prom-index';
import type { CounterRates } from './rates';

export function agentFiguresFromApi(message: string): AgentFiguresView {
  return {
    source: 'api', message, runningPods: null, containers: null, podSyncs: null, podSyncsPerSec: null, probes: null,
    podStartP50: null, proxyRules: null, proxyLastSyncMs: null, proxyLastSyncAt: null,
  };
}

export function agentFigures(node: string, m: PromIndex, rates: CounterRates): AgentFiguresView {
  const byState = m.sumBy('kubelet_running_containers', 'container_state');
  const syncs = m.sum('kubelet_pod_worker_duration_seconds_count');
  const probes = m.sumBy('prober_probe_total', 'result');
  const syncCount = m.sum('kubeproxy_sync_proxy_rules_duration_seconds_count') ?? 0;
  const syncSum = m.sum('kubeproxy_sync_proxy_rules_duration_seconds_sum') ?? 0;
  // The last sync's duration: what the sum grew by over the syncs since the previous snapshot.
  const dCount = rates.delta(`node.${node}.proxy.count`, syncCount);
  const dSum = rates.delta(`node.${node}.proxy.sum`, syncSum);
  const last = m.sum('kubeproxy_sync_proxy_rules_last_timestamp_seconds');
  const rules = m.sum('kubeproxy_sync_proxy_rules_iptables_total');
  return {
    source: 'agent',
    runningPods: m.sum('kubelet_running_pods'),
    containers: byState.size ? { running: byState.get('running') ?? 0, exited: byState.get('exited') ?? 0, created: byState.get('created') ?? 0 } : null,
    podSyncs: syncs,
    podSyncsPerSec: syncs === null ? null : rates.rate(`node.${node}.syncs`, syncs),
    probes: m.has('prober_probe_total') ? { successful: probes.get('successful') ?? 0, failed: probes.get('failed') ?? 0 } : { successful: 0, failed: 0 },
    podStartP50: bucketQuantile(0.5, m.buckets('kubelet_pod_start_duration_seconds')),
    proxyRules: syncCount ? rules : null,
    proxyLastSyncMs: !syncCount ? null : dCount && dSum !== null ? (dSum / dCount) * 1000 : (syncSum / syncCount) * 1000,
    proxyLastSyncAt: last ? new Date(last * 1000).toISOString() : null,
  };
}
