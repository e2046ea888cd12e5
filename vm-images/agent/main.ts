// Entry of the bundled agent: `node agent.js --config /etc/flotilla/agent.json`.
import './v8-tuning'; // first: before any other module of the bundle runs
import { readFileSync } from 'node:fs';
import { Agent } from './agent';
import { DEFAULT_AGENT_CONFIG_PATH } from '../../main/protocol/agent-config';
import { parseAgentConfig } from './config-file';

export { parseAgentConfig };

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
