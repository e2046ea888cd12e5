// GET /configz: the kubelet's configuration in force, as {"kubeletconfig": {...}} with KubeletConfiguration's
// (kubelet.config.k8s.io/v1beta1) field names and no kind or apiVersion, as the kubelet's configz handler writes it.
// Only settings the agent has and keeps are listed, with the values it uses.
import type { AgentConfig } from '../../../main/protocol/agent-config';
import { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN } from '../dns/defaults';
import { DEFAULT_RESOLV_CONF } from '../dns/resolv-conf';
import { HEARTBEAT_MS } from '../node/status-reporter';
import { MAX_PODS } from '../node/capacity';
import { LEASE_DURATION_SECONDS } from '../node/lease';

export const CONFIGZ_PATH = '/configz';

/** A duration as Go's time.Duration.String() writes whole seconds: 10s, 1m0s, 5m0s, 1h0m0s. */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

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
      nodeStatusUpdateFrequency: goDuration(c.statusReportSeconds ?? 10),
      nodeStatusReportFrequency: goDuration(Math.round((o.heartbeatMs ?? HEARTBEAT_MS) / 1000)),
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
