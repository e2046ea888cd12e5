// pods/portforward over WebSocket channels: the kubelet's port-forward protocol that kube-apiserver proxies to it for a
// WebSocket that is not kubectl's SPDY tunnel, and what clients without SPDY speak (python3-kubernetes,
// @kubernetes/client-node). Subprotocol `v4.channel.k8s.io` (binary messages: the channel's number, then bytes),
// `v4.base64.channel.k8s.io` (text messages: the number as a digit, then base64) or none (binary). The query's `ports`
// (each value may list several, comma-separated) names the ports; port i has data channel 2i and error channel 2i+1, on
// both of which the server first writes the port as two bytes, little endian. Each port is one connection to the pod,
// made at once; one that fails writes why on its error channel; the WebSocket closes once every port's connection has
// ended (the channels cannot be half-closed, so it is the pod's side that ends one).
import type { RawData, WebSocket } from 'ws';
import { rawBuffer } from '../../protocol/ws-data';
import { errors } from '../status';

export const CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
export const BASE64_CHANNEL_PROTOCOL = 'v4.base64.channel.k8s.io';

/** The ports of `?ports=` as the kubelet's NewV4Options reads them (its messages), or a 400. */
export function channelPorts(q: URLSearchParams): number[] {
  const values = q.getAll('ports');
  if (values.length === 0) throw errors.badRequest('query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw errors.badRequest('query parameter "port" cannot be empty');
    for (const p of value.split(',')) {
      const n = /^\d+$/.test(p) ? Number(p) : NaN;
      if (!Number.isInteger(n) || n > 65535) {
        const why = Number.isNaN(n) ? 'invalid syntax' : 'value out of range';
        throw errors.badRequest(`unable to parse ${JSON.stringify(value)} as a port: strconv.ParseUint: parsing ${JSON.stringify(p)}: ${why}`);
      }
      if (n < 1) throw errors.badRequest(`port ${JSON.stringify(value)} must be > 0`);
      ports.push(n);
    }
  }
  return ports;
}

/** One port's connection to the pod, as the caller makes it: bytes both ways, and how it ended. */
export interface PortConnection {
  write(data: Buffer): void;
  close(): void;
}

export interface PortHandlers {
  data(data: Buffer): void;
  /** The connection ended; `error` says why when it failed (written on the port's error channel). */
  end(error?: string): void;
}

export type OpenPort = (port: number, handlers: PortHandlers) => PortConnection;

/** Serves the channels of one accepted WebSocket until every port's connection has ended or the client leaves. */
export function serveChannels(ws: WebSocket, ports: number[], open: OpenPort): void {
  const base64 = ws.protocol === BASE64_CHANNEL_PROTOCOL;
  const send = (channel: number, data: Buffer): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (base64) ws.send(`${String.fromCharCode(48 + channel)}${data.toString('base64')}`);
    else ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const portBytes = (port: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(port); return b; };
  for (let i = 0; i < ports.length; i++) {
    send(2 * i, portBytes(ports[i]));
    send(2 * i + 1, portBytes(ports[i]));
  }
  let live = ports.length;
  const connections = ports.map((port, i) => {
    let ended = false;
    return open(port, {
      data: (d) => send(2 * i, d),
      end: (error) => {
        if (ended) return;
        ended = true;
        if (error) send(2 * i + 1, Buffer.from(error));
        if (--live === 0 && ws.readyState === ws.OPEN) ws.close(1000);
      },
    });
  });
  ws.on('message', (raw: RawData) => {
    const msg = rawBuffer(raw);
    if (msg.length === 0) return;
    const channel = base64 ? msg[0] - 48 : msg[0];
    // Only the data channels are read; what comes on another (an error channel, or none) is dropped, as wsstream does.
    if (channel < 0 || channel % 2 !== 0 || channel / 2 >= connections.length) return;
    const body = msg.subarray(1);
    const data = base64 ? Buffer.from(body.toString('latin1'), 'base64') : body;
    if (data.length) connections[channel / 2].write(data);
  });
  const closeAll = (): void => { for (const c of connections) c.close(); };
  ws.on('close', closeAll);
  ws.on('error', closeAll);
}
