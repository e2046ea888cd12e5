// `flotilla serve`: the headless control plane (and, once built, the UI over HTTP).
import type { ParsedArgs } from './args';
import { flagInt } from './args';
import { dataDirFrom } from './data-dir';
import { startCore } from '../core';
import { defaultStaticDir, startUiServer } from '../bridge/web-server';
import { startHollowNodes } from '../hollow';
import { nodeOptionsFrom } from './node';

export async function serve(args: ParsedArgs): Promise<void> {
  const dataDir = dataDirFrom(args);
  const apiPort = flagInt(args, 'api-port', 6443);
  const core = await startCore({ dataDir, apiPort, nodes: nodeOptionsFrom(args) });
  console.log(`Flotilla API server: ${core.api.url}`);
  console.log(`kubeconfig: ${core.kubeconfigPath}   (export KUBECONFIG=${core.kubeconfigPath})`);
  const ui = await startUiServer(core, { port: flagInt(args, 'ui-port', 7080), staticDir: defaultStaticDir() });
  core.own({ name: 'ui-server', stop: () => ui.stop() });
  console.log(`Flotilla UI: ${ui.url}`);
  const hollow = flagInt(args, 'hollow-nodes', 0);
  if (hollow > 0) {
    const nodes = startHollowNodes(core, { count: hollow, log: (l) => console.error(l) });
    core.own({ name: 'hollow-nodes', stop: () => nodes.stop() });
    await nodes.ready;
    console.log(`hollow nodes: ${hollow} registered`);
  }
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${sig}: stopping`);
    await core.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
