// The agent's config file (/etc/flotilla/agent.json) checked field by field.
import type { AgentConfig } from '../../main/protocol/agent-config';

const REQUIRED_STRINGS = [
  'nodeName', 'apiServer', 'token', 'caCertPem', 'nodeIP', 'listenAddress', 'serverToken', 'containerdSocket', 'stateDir',
  'logDir', 'cniConfDir', 'cniBinDir', 'cniDataDir', 'bridgeName', 'clusterCIDR', 'serviceCIDR', 'cgroupParent',
] as const;
const OPTIONAL_NUMBERS = ['leaseRenewSeconds', 'statusReportSeconds', 'backoffBaseSeconds', 'backoffMaxSeconds'] as const;
const OPTIONAL_STRINGS = ['clusterDomain', 'resolvConf', 'hostAddress', 'servingCertPem', 'servingKeyPem'] as const;

/** Parses and checks the config file's JSON; throws with the offending field. */
export function parseAgentConfig(text: string): AgentConfig {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('agent config: not a JSON object');
  const o = raw as Record<string, unknown>;
  for (const k of REQUIRED_STRINGS) if (typeof o[k] !== 'string') throw new Error(`agent config: ${k} must be a string`);
  for (const k of OPTIONAL_NUMBERS) if (o[k] !== undefined && typeof o[k] !== 'number') throw new Error(`agent config: ${k} must be a number`);
  for (const k of OPTIONAL_STRINGS) if (o[k] !== undefined && typeof o[k] !== 'string') throw new Error(`agent config: ${k} must be a string`);
  if ((o.servingCertPem === undefined) !== (o.servingKeyPem === undefined)) throw new Error('agent config: servingCertPem and servingKeyPem go together');
  if (o.clusterDNS !== undefined && (!Array.isArray(o.clusterDNS) || !o.clusterDNS.every((t) => typeof t === 'string'))) throw new Error('agent config: clusterDNS must be a list of addresses');
  if (o.tracing !== undefined && typeof o.tracing !== 'boolean') throw new Error('agent config: tracing must be true or false');
  if (!Array.isArray(o.imageTarballs) || !o.imageTarballs.every((t) => typeof t === 'string')) throw new Error('agent config: imageTarballs must be a list of paths');
  const labels = o.nodeLabels;
  if (labels !== undefined && (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string'))) {
    throw new Error('agent config: nodeLabels must map strings to strings');
  }
  return o as unknown as AgentConfig;
}
