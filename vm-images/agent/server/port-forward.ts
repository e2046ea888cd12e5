// GET /portForward/<ns>/<pod>?port=N upgraded to a WebSocket that is a plain byte stream to the pod's
// IP:port, dialled from the node's network namespace (where the agent runs). Binary messages carry bytes;
// an empty message means "no more bytes from me" (half-close); the WebSocket closes when both sides are done.
// A connection that cannot be made is refused before the upgrade, with the reason as a Status.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AgentHttpError, badRequest, notFound, rejectUpgrade } from './http-status';
import type { PodLookup } from './pod-lookup';
import { rawBuffer } from '../../../main/protocol/ws-data';

export const PORT_FORWARD_PROTOCOL = 'portforward.flotilla.dev';

export const portForwardWebSocketServer = (): WebSocketServer => new WebSocketServer({ noServer: true, perMessageDeflate: false });

function dial(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Half-open: the pod ending its side ends only what it sends (relayed as an empty message); bytes still go to it.
    const s = connect({ host, port, allowHalfOpen: true });
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

/** Relays a WebSocket (empty message = half-close) and a TCP socket until both directions are done. */
export function relayBytes(ws: WebSocket, tcp: Socket): void {
  let inDone = false;
  let outDone = false;
  const finish = (): void => { if (inDone && outDone && ws.readyState === ws.OPEN) ws.close(1000); };
  // Backpressure: stop reading the pod while more than 1 MiB waits to go out on the WebSocket.
  let paused = false;
  const sent = (): void => { if (paused && ws.bufferedAmount < 1 << 18) { paused = false; tcp.resume(); } };
  tcp.on('data', (d: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(d, sent);
    if (ws.bufferedAmount > 1 << 20 && !paused) { paused = true; tcp.pause(); }
  });
  tcp.on('end', () => { if (ws.readyState === ws.OPEN) ws.send(Buffer.alloc(0)); outDone = true; finish(); });
  tcp.on('error', () => ws.close(1011, 'connection to the pod failed'));
  // Closed both ways (or reset): nothing more can reach the pod, so the tunnel goes too, even after a clean end of the
  // pod's side — else what the other end sends next would vanish into a destroyed socket and its requests hang.
  tcp.on('close', () => {
    if (ws.readyState !== ws.OPEN) return;
    if (outDone && inDone) ws.close(1000);
    else ws.close(1011, 'connection to the pod closed');
  });
  ws.on('message', (raw: RawData) => {
    const d = rawBuffer(raw);
    if (d.length === 0) { tcp.end(); inDone = true; finish(); return; }
    tcp.write(d);
  });
  ws.on('close', () => tcp.destroy());
  ws.on('error', () => tcp.destroy());
}

export async function servePortForward(
  deps: { lookup: PodLookup; wss: WebSocketServer },
  req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, podName: string, q: URLSearchParams,
): Promise<void> {
  let tcp: Socket;
  try {
    const port = Number(q.get('port'));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`invalid port: ${JSON.stringify(q.get('port'))}`);
    const pod = deps.lookup.find(ns, podName);
    if (!pod) throw notFound(`pod "${podName}" not found`);
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase !== 'Running') throw badRequest(`unable to do port forwarding: pod "${podName}" is not running`);
    try {
      tcp = await dial(ip, port);
    } catch (e) {
      throw new AgentHttpError(500, 'InternalError', `error forwarding port ${port} to pod ${podName}, uid ${pod.uid}: ${e instanceof Error ? e.message : String(e)}`);
    }
  } catch (e) {
    rejectUpgrade(socket, e);
    return;
  }
  const conn = tcp;
  socket.once('close', () => { if (!conn.destroyed && conn.listenerCount('data') === 0) conn.destroy(); });
  deps.wss.handleUpgrade(req, socket, head, (ws) => relayBytes(ws, conn));
}
