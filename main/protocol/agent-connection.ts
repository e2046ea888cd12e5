// Reaching a node's agent server from the control plane (API server streams, metrics scraping) through a
// NodeDialer (an SSH forwardOut in production, TCP in tests): plain HTTP requests and WebSockets over the
// dialled stream, with the agent's bearer token.
import * as http from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** Opens a byte stream to the agent server of a node (main/nodes' NodeDialer has this shape). */
export type NodeDialer = (node: string) => Promise<Duplex>;

export interface AgentEndpoint {
  dial: NodeDialer;
  /** The bearer token the node's agent server accepts (its config.serverToken). */
  serverToken: (node: string) => string;
}

/**
 * http/ws treat their connection as a net.Socket; a dialled stream (e.g. an ssh2 channel) is a Duplex
 * without the socket-only knobs, which are no-ops for a tunnel.
 */
export function asSocket(d: Duplex): Socket {
  if (d instanceof Socket) return d;
  const knobs = {
    setNoDelay: () => d, setKeepAlive: () => d, setTimeout: () => d, ref: () => d, unref: () => d,
    remoteAddress: '127.0.0.1', remotePort: 0, localAddress: '127.0.0.1', localPort: 0,
  };
  for (const [k, v] of Object.entries(knobs)) if (!(k in d)) Object.defineProperty(d, k, { value: v, configurable: true, writable: true });
  return d as unknown as Socket;
}

/** A GET to the agent; resolves with the response (headers received) and the request (to abort it). */
export function agentGet(ep: AgentEndpoint, node: string, path: string): Promise<{ res: http.IncomingMessage; req: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: 'GET', host: node, path,
      headers: { Authorization: `Bearer ${ep.serverToken(node)}`, Connection: 'close' },
      createConnection: (_o, oncreate) => {
        ep.dial(node).then((d) => oncreate(null, asSocket(d)), (e: unknown) => oncreate(e instanceof Error ? e : new Error(String(e)), new Socket()));
        return undefined;
      },
    });
    req.once('response', (res) => resolve({ res, req }));
    req.once('error', reject);
    req.end();
  });
}

/** A whole request to the agent (method, optional JSON body); resolves with the status code and the body as text. */
export function agentRequest(
  ep: AgentEndpoint, node: string, method: string, path: string, body?: unknown, timeoutMs = 600_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({
      method, host: node, path, timeout: timeoutMs,
      headers: {
        Authorization: `Bearer ${ep.serverToken(node)}`, Connection: 'close',
        ...(data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) }),
      },
      createConnection: (_o, oncreate) => {
        ep.dial(node).then((d) => oncreate(null, asSocket(d)), (e: unknown) => oncreate(e instanceof Error ? e : new Error(String(e)), new Socket()));
        return undefined;
      },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`the agent of node ${node} did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s`)));
    req.once('error', reject);
    req.end(data);
  });
}

export class AgentUpgradeError extends Error {
  constructor(readonly statusCode: number, readonly body: string) {
    super(`agent refused the upgrade (${statusCode}): ${body}`);
  }
}

/**
 * Opens a WebSocket to the agent; a refused upgrade rejects with AgentUpgradeError (status and body).
 * It comes back *paused*: frames that arrived with the 101 would otherwise be emitted (on a nextTick) before
 * the caller's continuation could listen. Call resume() once the 'message' listener is attached.
 */
export async function agentWebSocket(ep: AgentEndpoint, node: string, path: string, protocols: string[]): Promise<WebSocket> {
  const d = await ep.dial(node);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${node}${path}`, protocols, {
      headers: { Authorization: `Bearer ${ep.serverToken(node)}` },
      createConnection: () => asSocket(d),
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    ws.once('open', () => { ws.pause(); ws.off('error', reject); resolve(ws); });
    ws.once('unexpected-response', (_req, res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => { reject(new AgentUpgradeError(res.statusCode ?? 502, Buffer.concat(parts).toString())); d.destroy(); });
      res.on('error', () => reject(new AgentUpgradeError(res.statusCode ?? 502, '')));
    });
    ws.once('error', reject);
  });
}
