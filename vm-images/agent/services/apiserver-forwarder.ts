// The node's half of the `kubernetes` Service: pods reach 10.96.0.1:443, which the proxier DNATs to a
// Ready node's InternalIP:6443 (the Service's endpoints); there this forwarder passes the connection
// to the node's tunnel to the API server (127.0.0.1:6443 on the node), which pods cannot reach
// themselves. TLS is end to end: bytes are only relayed.
import * as net from 'node:net';
import { NODE_API_PORT } from '../../../main/api/kubernetes-service';

export interface ApiServerForwarderOptions {
  /** The node's InternalIP. */
  nodeIP: string;
  /** The API server as the node reaches it (config.apiServer, https://127.0.0.1:6443). */
  apiServer: string;
  log(line: string): void;
}

export class ApiServerForwarder {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly opts: ApiServerForwarderOptions) {}

  /** Listens on nodeIP:6443; rejects if the address cannot be bound (the caller retries). */
  async listen(): Promise<void> {
    const target = new URL(this.opts.apiServer);
    const port = Number(target.port || 443);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // Nothing to do when the API server is already there, or for a loopback node address pods cannot reach.
    if ((host === this.opts.nodeIP && port === NODE_API_PORT) || /^127\./.test(this.opts.nodeIP)) return;
    const server = net.createServer((client) => this.relay(client, host, port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(NODE_API_PORT, this.opts.nodeIP, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.opts.log(`api forwarder: ${err.message}`));
    this.server = server;
  }

  private relay(client: net.Socket, host: string, port: number): void {
    const upstream = net.connect({ host, port });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
