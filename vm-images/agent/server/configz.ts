// GET /configz: the kubelet's configuration in force, as {"kubeletconfig": {...}} with KubeletConfiguration's
// (kubelet.config.k8s.io/v1beta1) field names and no kind or apiVersion, as the kubelet's configz handler writes it.
// Only settings the agent has and keeps are listed, with the values it uses.
import { formatGoDurationMs } from '../../../main/api/go-duration';
import type { AgentConfig } from '../../../main/protocol/agent-config';
import { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN } from '../dns/defaults';
import { DEFAULT_RESOLV_CONF } from '../dns/resolv-conf';
import { HEARTBEAT_MS } from '../node/status-reporter';
import { MAX_PODS } from '../node/capacity';
import { LEASE_DURATION_SECONDS } from '../node/lease';

export interface ConfigzInput {
  config: Pick<AgentConfig, 'clusterDomain' | 'clusterDNS' | 'resolvConf' | 'statusReportSeconds' | 'cgroupParent' | 'containerdSocket' | 'logDir'>;
  /** The port the agent's server listens on. */
  port: number;
  /** The node status heartbeat in force (default HEARTBEAT_MS). */
  heartbeatMs?: number;
}

export function kubeletConfigz(o: ConfigzInput): { kubeletconfig: Record<string, unknown> } {
  const c = o.config;
  return {
    kubeletconfig: {
      enableServer: true,
      port: o.port,
      authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
      clusterDomain: c.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      clusterDNS: c.clusterDNS ?? [DEFAULT_CLUSTER_DNS],
      resolvConf: c.resolvConf ?? DEFAULT_RESOLV_CONF,
      nodeStatusUpdateFrequency: formatGoDurationMs((c.statusReportSeconds ?? 10) * 1000),
      nodeStatusReportFrequency: formatGoDurationMs(o.heartbeatMs ?? HEARTBEAT_MS),
      nodeLeaseDurationSeconds: LEASE_DURATION_SECONDS,
      cgroupDriver: 'cgroupfs',
      ...(c.cgroupParent ? { cgroupRoot: c.cgroupParent } : {}),
      containerRuntimeEndpoint: `unix://${c.containerdSocket}`,
      podLogsDir: c.logDir,
      maxPods: MAX_PODS,
      featureGates: {},
    },
  };
}
