// The `flotilla` command: serve, node, images, bench, down.
import { parseArgs, UsageError } from './cli/args';
import { serve } from './cli/serve';
import { bench } from './cli/bench';

const USAGE = `usage: flotilla <command> [options]

  serve [--data-dir D] [--api-port 6443] [--ui-port 7080] [--nodes N] [--provider sandbox|lima|multipass]
        run the control plane (and the UI over HTTP); writes D/kubeconfig
  node add|ls|rm|stop|start ...   manage worker nodes
  images import FILE.tar          import an image tarball into every node
  bench NAME                      run a benchmark (api, ...)
  down [--data-dir D]             remove every machine and stop the cluster
`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [cmd] = args.positional;
  switch (cmd) {
    case 'serve':
      await serve(args);
      return -1; // keeps running
    case 'bench':
      if (args.positional[1] === 'node-add') await (await import('./cli/bench-node-add')).benchNodeAdd(args);
      else await bench(args);
      return 0;
    case 'node':
      await (await import('./cli/node')).node(args);
      return 0;
    case 'images':
      await (await import('./cli/images')).images(args);
      return 0;
    case 'down':
      await (await import('./cli/down')).down(args);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return cmd ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`flotilla: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`flotilla: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
