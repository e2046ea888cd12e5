// One listener of the localhost load balancer: 127.0.0.1:<port> on the host, each TCP connection forwarded to a
// ready endpoint the caller picks (round robin) through the node agent's port-forward tunnel, bytes both ways with
// half-closes kept. Closing it stops the listening and cuts its open connections.
import * as net from 'node:net';
import type { AgentEndpoint } from '../protocol/agent-connection';
import type { Target } from './endpoints';
import { dialPod } from './pod-tunnel';

/** The pod a new connection goes to, or why there is none (the connection is then closed). */
export type PickTarget = () => Target | { problem: string };

export interface PortListener {
  port: number;
  close(): Promise<void>;
}

/** Pipes a client connection and a tunnel into each other; either side's failure tears down both. */
function splice(client: net.Socket, tunnel: NodeJS.ReadWriteStream & { destroy(e?: Error): void }): void {
  const down = (): void => { client.destroy(); tunnel.destroy(); };
  client.on('error', down).on('close', down);
  tunnel.on('error', down).on('close', down);
  client.pipe(tunnel);
  tunnel.pipe(client);
}

/** Listens on host:port; rejects with the listen error (EADDRINUSE when another program holds the port). */
export function listenPort(host: string, port: number, agents: AgentEndpoint, pick: PickTarget, log: (l: string) => void): Promise<PortListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const t = pick();
    if ('problem' in t) {
      log(`load balancer ${host}:${port}: ${t.problem}`);
      client.destroy();
      return;
    }
    client.pause();
    dialPod(agents, t).then(
      (tunnel) => {
        if (client.destroyed) { tunnel.destroy(); return; }
        splice(client, tunnel);
        client.resume();
      },
      (e: unknown) => {
        log(`load balancer ${host}:${port}: pod ${t.namespace}/${t.pod} port ${t.port}: ${e instanceof Error ? e.message : String(e)}`);
        client.destroy();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (e) => log(`load balancer ${host}:${port}: ${e.message}`));
      resolve({
        port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          for (const s of sockets) s.destroy();
        }),
      });
    });
  });
}
