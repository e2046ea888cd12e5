// A Gateway listener's own port on the host: besides the proxy's HTTP and HTTPS ports (which serve every listener of
// their protocol), each port an HTTP or HTTPS listener of ours names is listened on at the Gateway's address
// (127.0.0.1:<port>), serving only the listeners of that port — so `curl http://127.0.0.1:<listener port>/` works as
// against a cloud load balancer. A port that cannot be had (another program holds it, or it is privileged for this
// user) is reported on the listener and tried again every retryMs; listeners close when no listener names their
// port any more, and on stop.
import type * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PortScheme } from './attach';

export type Scheme = PortScheme;

interface Open { scheme: Scheme; server: net.Server; ready: boolean; shut: () => void }

/** Records a server's connections; the function returned stops its listening and cuts them. */
export function trackConnections(server: net.Server): () => void {
  const sockets = new Set<net.Socket>();
  server.on('connection', (c: net.Socket) => { sockets.add(c); c.once('close', () => sockets.delete(c)); });
  return () => {
    server.close();
    for (const c of sockets) c.destroy();
  };
}

export class GatewayPorts {
  private readonly open = new Map<number, Open>();
  private readonly failed = new Map<number, string>();
  private retry?: NodeJS.Timeout;
  private wanted: ReadonlyMap<number, Scheme> = new Map();

  constructor(private readonly host: string, private readonly make: (scheme: Scheme, port: number) => net.Server,
    private readonly reserved: ReadonlyMap<number, Scheme>, private readonly changed: () => void, private readonly log: (l: string) => void,
    private readonly retryMs = 10_000) {}

  /** Tries the failed ports again after retryMs (one timer for all). */
  private scheduleRetry(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.openWanted(this.wanted, true);
    }, this.retryMs);
    this.retry.unref();
  }

  /** Opens the ports wanted (port → scheme) and closes the rest; a port that failed waits for its retry. */
  sync(wanted: ReadonlyMap<number, Scheme>): void {
    this.wanted = wanted;
    this.openWanted(wanted, false);
  }

  private openWanted(wanted: ReadonlyMap<number, Scheme>, retrying: boolean): void {
    for (const [port, o] of this.open) {
      if (wanted.get(port) === o.scheme) continue;
      this.open.delete(port);
      o.shut();
    }
    for (const port of [...this.failed.keys()]) if (!wanted.has(port)) this.failed.delete(port);
    for (const [port, scheme] of wanted) {
      if (this.reserved.has(port) || this.open.has(port) || (this.failed.has(port) && !retrying)) continue;
      const server = this.make(scheme, port);
      const entry: Open = { scheme, server, ready: false, shut: trackConnections(server) };
      this.open.set(port, entry);
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (this.open.get(port) !== entry) return;
        this.open.delete(port);
        const why = e.code === 'EADDRINUSE' ? 'the port is in use' : e.code === 'EACCES' ? 'permission denied (a privileged port)' : e.message;
        if (this.failed.get(port) !== why) this.log(`gateway: cannot listen on ${this.host}:${port}: ${why}`);
        const news = this.failed.get(port) !== why;
        this.failed.set(port, why);
        this.scheduleRetry();
        if (news) this.changed();
      });
      server.listen(port, this.host, () => {
        entry.ready = true;
        if (this.failed.delete(port)) this.changed();
        this.log(`gateway: listening on ${this.host}:${(server.address() as AddressInfo).port} (${scheme})`);
      });
    }
  }

  /** Why a listener port is not listened on, if it is not. */
  problem(port: number): string | undefined {
    const own = this.reserved.get(port);
    const want = this.wanted.get(port);
    if (own && want && own !== want) return `it is the built-in proxy's own ${own.toUpperCase()} port`;
    return this.failed.get(port);
  }

  /** The ports listened on now. */
  listening(): number[] {
    return [...this.open].filter(([, o]) => o.ready).map(([p]) => p);
  }

  stop(): void {
    clearTimeout(this.retry);
    for (const o of this.open.values()) o.shut();
    this.open.clear();
  }
}
