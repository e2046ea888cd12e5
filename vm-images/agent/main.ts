// Entry of the bundled agent: `node agent.js --config /etc/flotilla/agent.json`.
import { readFileSync } from 'node:fs';
import { Agent } from './agent';
import { DEFAULT_AGENT_CONFIG_PATH, type AgentConfig } from '../../main/protocol/agent-config';

const REQUIRED_STRINGS = [
  'nodeName', 'apiServer', 'token', 'caCertPem', 'nodeIP', 'listenAddress', 'serverToken', 'containerdSocket', 'stateDir',
  'logDir', 'cniConfDir', 'cniBinDir', 'cniDataDir', 'bridgeName', 'clusterCIDR', 'serviceCIDR', 'cgroupParent',
] as const;
const OPTIONAL_NUMBERS = ['leaseRenewSeconds', 'statusReportSeconds', 'backoffBaseSeconds', 'backoffMaxSeconds'] as const;
const OPTIONAL_STRINGS = ['clusterDomain', 'resolvConf', 'hostAddress'] as const;

/** Parses and checks the config file's JSON; throws with the offending field. */
export function parseAgentConfig(text: string): AgentConfig {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('agent config: not a JSON object');
  const o = raw as Record<string, unknown>;
  for (const k of REQUIRED_STRINGS) if (typeof o[k] !== 'string') throw new Error(`agent config: ${k} must be a string`);
  for (const k of OPTIONAL_NUMBERS) if (o[k] !== undefined && typeof o[k] !== 'number') throw new Error(`agent config: ${k} must be a number`);
  for (const k of OPTIONAL_STRINGS) if (o[k] !== undefined && typeof o[k] !== 'string') throw new Error(`agent config: ${k} must be a string`);
  if (o.clusterDNS !== undefined && (!Array.isArray(o.clusterDNS) || !o.clusterDNS.every((t) => typeof t === 'string'))) throw new Error('agent config: clusterDNS must be a list of addresses');
  if (o.tracing !== undefined && typeof o.tracing !== 'boolean') throw new Error('agent config: tracing must be true or false');
  if (!Array.isArray(o.imageTarballs) || !o.imageTarballs.every((t) => typeof t === 'string')) throw new Error('agent config: imageTarballs must be a list of paths');
  const labels = o.nodeLabels;
  if (labels !== undefined && (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string'))) {
    throw new Error('agent config: nodeLabels must map strings to strings');
  }
  return o as unknown as AgentConfig;
}

function configPath(argv: string[]): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--config='));
  return eq ? eq.slice('--config='.length) : DEFAULT_AGENT_CONFIG_PATH;
}

async function main(): Promise<void> {
  const path = configPath(process.argv.slice(2));
  const agent = new Agent(parseAgentConfig(readFileSync(path, 'utf8')));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${new Date().toISOString()} ${signal}: stopping (pods keep running)`);
    agent.stop().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
  };
  // A stray rejection must not take the node's agent down with it: log it and carry on.
  process.on('unhandledRejection', (err: unknown) => console.error(`${new Date().toISOString()} unhandled rejection: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await agent.start();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`flotilla agent: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  });
}
