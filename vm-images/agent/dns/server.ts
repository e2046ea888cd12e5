// The DNS server's sockets: UDP and TCP (RFC 1035 4.2.2: each message prefixed by its 2-byte length,
// several per connection, idle connections closed) on one address and port, both handed to a Responder.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { Responder } from './respond';

export interface DnsListener {
  address: string;
  port: number;
  close(): Promise<void>;
}

const TCP_IDLE_MS = 10_000;

function serveTcp(conn: TcpSocket, respond: Responder): void {
  let buf: Buffer = Buffer.alloc(0);
  conn.setTimeout(TCP_IDLE_MS, () => conn.destroy());
  conn.on('error', () => conn.destroy());
  conn.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + msg.length);
      void respond(msg, true).then((reply) => {
        if (!reply || conn.destroyed) return;
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length);
        conn.write(Buffer.concat([len, reply]));
      }, () => undefined);
    }
  });
}

/** Listens on address:port (port 0: any free one, the same for UDP and TCP); resolves once both are bound. */
export async function listenDns(address: string, port: number, respond: Responder, onError: (err: unknown) => void): Promise<DnsListener> {
  const tcp: Server = createServer((c) => serveTcp(c, respond));
  await new Promise<void>((resolve, reject) => { tcp.once('error', reject); tcp.listen(port, address, () => { tcp.off('error', reject); resolve(); }); });
  const bound = (tcp.address() as { port: number }).port;
  tcp.on('error', onError);
  const udp: Socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => { udp.once('error', reject); udp.bind(bound, address, () => { udp.off('error', reject); resolve(); }); });
  } catch (err) {
    tcp.close();
    throw err;
  }
  udp.on('error', onError);
  udp.on('message', (msg, rinfo) => {
    respond(msg, false).then((reply) => { if (reply) udp.send(reply, rinfo.port, rinfo.address); }, onError);
  });
  return {
    address, port: bound,
    close: async () => {
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}
