// TCPRoutes and TLSRoutes on a listener's own port: a TCP connection goes to the oldest TCPRoute attached to the
// port's listener; a TLS one to the TLSRoute whose hostname matches its server name best (the oldest on a tie) —
// passed through as it came (the ClientHello read for its SNI, then replayed) or, on a Terminate listener,
// decrypted with the listener's certificate first (and encrypted anew to the pod under a BackendTLSPolicy). The
// route's backendRefs are picked by weight; the pod is reached through the agents' tunnels. A connection nothing
// takes is closed (and logged).
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { splice } from '../../tunnel/port-listener';
import type { GatewayPlan } from './attach';
import { readServerName } from './client-hello';
import { overTls } from './backend-tls-connect';
import { pickBackend } from './filters';
import { olderFirst } from '../routing';
import { hostSpecificity } from './hostnames';
import { serviceBackend, type BackendDeps } from './router';
import type { L4Route } from './types';

const MAX_HELLO = 16 * 1024 + 5;
const HELLO_TIMEOUT_MS = 10_000;

/** The route a connection on `port` takes: TCP by age, TLS by its server name's best hostname, then age. */
export function chooseL4Route(plan: GatewayPlan, kind: 'TCPRoute' | 'TLSRoute', port: number, serverName?: string): L4Route | undefined {
  let best: { route: L4Route; s: number } | undefined;
  for (const a of plan.attachments) {
    if (a.kind !== kind || a.listener.port !== port) continue;
    const s = kind === 'TCPRoute' ? 0 : Math.max(...a.hostnames.map((h) => hostSpecificity(h, serverName ?? '')));
    if (s < 0) continue;
    if (!best || s > best.s || (s === best.s && olderFirst(a.route, best.route) < 0)) best = { route: a.route, s };
  }
  return best?.route;
}

export class L4Forwarder {
  constructor(private readonly d: BackendDeps) {}

  /** `terminated`: the listener decrypted the connection, so a BackendTLSPolicy on the backend makes TLS to the pod anew. */
  private forward(client: net.Socket | tls.TLSSocket, kind: 'TCPRoute' | 'TLSRoute', port: number, serverName: string | undefined, first?: Buffer,
    terminated = false): void {
    const fail = (why: string): void => { this.d.log(`gateway: ${kind === 'TCPRoute' ? 'TCP' : 'TLS'} connection on port ${port}: ${why}`); client.destroy(); };
    const route = chooseL4Route(this.d.plan(), kind, port, serverName);
    if (!route) { fail(kind === 'TLSRoute' ? `no TLSRoute takes server name "${serverName ?? ''}"` : 'no TCPRoute is attached'); return; }
    const name = `${kind} ${route.metadata?.namespace ?? ''}/${route.metadata?.name ?? ''}`;
    const ref = pickBackend(route.spec?.rules?.[0]?.backendRefs);
    const backend = ref && serviceBackend(this.d.grants(), kind, route.metadata?.namespace ?? '', ref);
    if (!backend) { fail(`${name} has no valid backend`); return; }
    const target = this.d.pick(backend);
    if ('problem' in target) { fail(`${name}: ${target.problem}`); return; }
    const backendTls = terminated ? this.d.tlsFor?.(backend) : undefined;
    client.pause();
    this.d.dial(target).then(overTls(backendTls, [])).then((tunnel) => {
      if (client.destroyed) { tunnel.destroy(); return; }
      if (first?.length) tunnel.write(first);
      splice(client, tunnel);
      client.resume();
    }, (e: unknown) => fail(`${name}: pod ${target.namespace}/${target.pod}: ${e instanceof Error ? e.message : String(e)}`));
  }

  tcp(client: net.Socket, port: number): void {
    client.on('error', () => client.destroy());
    this.forward(client, 'TCPRoute', port, undefined);
  }

  /** A TLS connection passed through: its ClientHello is read for the server name, then replayed to the pod. */
  passthrough(client: net.Socket, port: number): void {
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { this.d.log(`gateway: TLS connection on port ${port}: no ClientHello within ${HELLO_TIMEOUT_MS} ms`); client.destroy(); }, HELLO_TIMEOUT_MS);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const r = readServerName(buf);
      if (!r.done && buf.length < MAX_HELLO) return;
      client.off('data', onData);
      clearTimeout(timer);
      if (!r.done || r.error) { this.d.log(`gateway: TLS connection on port ${port}: ${r.done ? r.error ?? '' : 'ClientHello too large'}`); client.destroy(); return; }
      this.forward(client, 'TLSRoute', port, r.serverName, buf);
    };
    client.on('data', onData);
    client.on('close', () => clearTimeout(timer));
  }

  /** A TLS connection the listener terminated: its plaintext goes to the pod. */
  terminated(client: tls.TLSSocket, port: number): void {
    client.on('error', () => client.destroy());
    this.forward(client, 'TLSRoute', port, typeof client.servername === 'string' ? client.servername.toLowerCase() : undefined, undefined, true);
  }
}
