// A login shell on a node through the SSH connection Flotilla holds to it (ssh2 shell() with a pty): the node's own
// sshd, so on a sandbox node its namespaces, on a VM the VM.
import type { ClientChannel } from 'ssh2';
import type { SshSession } from '../nodes/ssh';
import type { NodeManager } from '../nodes';
import type { TerminalSink, TerminalStream } from './terminal';
import { BridgeFailure } from './errors';

export const NODE_TERM = 'xterm-256color';

/** The SSH session to one of the node manager's machines (waiting briefly for a reconnect in progress). */
export function nodeSshOf(nodes: NodeManager): (node: string) => Promise<SshSession> {
  return async (node) => {
    const c = nodes.controller.connection(node);
    if (!c) throw new BridgeFailure(404, 'NotFound', `node ${node} is not one of Flotilla's machines: there is no SSH connection to it`);
    return c.ready();
  };
}

export function openNodeShell(ssh: SshSession, size: { cols: number; rows: number }, sink: TerminalSink): Promise<TerminalStream> {
  return new Promise((resolve, reject) => {
    ssh.client.shell({ term: NODE_TERM, cols: size.cols, rows: size.rows }, (err, ch: ClientChannel) => {
      if (err) { reject(new Error(`cannot open a shell on the node: ${err.message}`)); return; }
      let ended = false;
      let exitCode: number | undefined;
      let signal: string | undefined;
      ch.on('data', (d: Buffer) => sink.data(d));
      ch.stderr.on('data', (d: Buffer) => sink.data(d));
      ch.on('exit', (code: number | null, sig?: string) => {
        exitCode = code ?? undefined;
        signal = sig;
      });
      ch.on('error', () => undefined);
      ch.on('close', () => {
        if (ended) return;
        ended = true;
        if (exitCode !== undefined) sink.end({ exitCode });
        else if (signal) sink.end({ error: { code: 500, reason: 'Signal', message: `the shell was ended by signal ${signal}` } });
        else sink.end({ error: { code: 503, reason: 'ServiceUnavailable', message: 'the SSH connection to the node was lost' } });
      });
      resolve({
        write: (data) => { if (!ended) ch.write(data); },
        resize: (cols, rows) => { if (!ended) ch.setWindow(rows, cols, 0, 0); },
        pause: () => ch.pause(),
        resume: () => ch.resume(),
        close: () => {
          ended = true;
          ch.close();
        },
      });
    });
  });
}
