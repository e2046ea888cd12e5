// One listener on the host (127.0.0.1:<port>) whose TCP connections each go to a pod the caller picks (a ready
// endpoint, round robin) through a pod dialer (the agents' port-forward tunnels, or any other), bytes both ways with
// half-closes kept. Used by the localhost load balancer (ingress/localhost-lb.ts) and the UI's port forwards
// (port-forwards.ts). Closing it stops the listening and cuts its open connections.
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Target } from './endpoints';
import type { PodDialer } from './pod-tunnel';

/** The pod a new connection goes to, or why there is none (the connection is then closed). */
export type PickTarget = () => Target | { problem: string };

export interface PortListener {
  port: number;
  /** Connections open now. */
  open(): number;
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  /** 0: any free port (the listener's `port` says which). */
  port: number;
  dial: PodDialer;
  pick: PickTarget;
  log: (l: string) => void;
  /** How log lines name the listener, e.g. "load balancer". */
  label: string;
  /** Hears why a connection could not reach its pod, and `undefined` once one did (the pod answered). */
  report?: (problem: string | undefined) => void;
}

/** Pipes a client connection and a tunnel into each other; either side's failure tears down both. */
export function splice(client: net.Socket, tunnel: Duplex, report?: (problem: string | undefined) => void): void {
  const down = (): void => { client.destroy(); tunnel.destroy(); };
  client.on('error', down).on('close', down);
  tunnel.on('error', (e: Error) => { report?.(e.message); down(); }).on('close', down);
  if (report) tunnel.once('data', () => report(undefined));
  client.pipe(tunnel);
  tunnel.pipe(client);
}

/** Listens on host:port; rejects with the listen error (EADDRINUSE when another program holds the port). */
export function listenPort(o: ListenOptions): Promise<PortListener> {
  const sockets = new Set<net.Socket>();
  const name = (): string => `${o.label} ${o.host}:${o.port}`;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const t = o.pick();
    if ('problem' in t) {
      o.log(`${name()}: ${t.problem}`);
      client.destroy();
      return;
    }
    client.pause();
    o.dial(t).then(
      (tunnel) => {
        if (client.destroyed) { tunnel.destroy(); return; }
        splice(client, tunnel, o.report);
        client.resume();
      },
      (e: unknown) => {
        const why = e instanceof Error ? e.message : String(e);
        o.report?.(why);
        o.log(`${name()}: pod ${t.namespace}/${t.pod} port ${t.port}: ${why}`);
        client.destroy();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      server.on('error', (e) => o.log(`${name()}: ${e.message}`));
      const port = (server.address() as net.AddressInfo).port;
      o = { ...o, port };
      resolve({
        port,
        open: () => sockets.size,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          for (const s of sockets) s.destroy();
        }),
      });
    });
  });
}
