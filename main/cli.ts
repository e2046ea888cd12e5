// The `flotilla` command: serve, node, images, bench, down (every command and flag: main/cli/commands.ts).
import { COMMANDS } from './cli/commands';
import { runCli } from './cli/program';

runCli(COMMANDS, process.argv.slice(2)).then(
  (outcome) => {
    if (outcome !== 'running') process.exit(outcome);
  },
  (e: unknown) => {
    process.stderr.write(`flotilla: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
