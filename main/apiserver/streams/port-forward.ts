// pods/portforward: kubectl speaks SPDY/3.1 (portforward.k8s.io) tunnelled in a WebSocket whose subprotocol
// is `SPDY/3.1+portforward.k8s.io` (or, as its fallback, raw SPDY after `Upgrade: SPDY/3.1`).
// Per forwarded connection kubectl opens an error stream and a data stream with the same requestid;
// the data stream is relayed to the node agent's /portForward WebSocket (bytes; empty message = half-close),
// and a connection the agent cannot make is reported on the error stream. Any other WebSocket speaks the kubelet's
// channel protocol (port-forward-channels.ts), each port relayed to the agent the same way.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type RawData, type WebSocket } from 'ws';
import type { StoredObject } from '../../api/types';
import { SpdySession, type SpdyStream } from '../../protocol/spdy/session';
import { rawBuffer } from '../../protocol/ws-data';
import { errors } from '../status';
import { AgentUpgradeError, agentWebSocket, type AgentEndpoint } from '../../protocol/agent-connection';
import { BASE64_CHANNEL_PROTOCOL, CHANNEL_PROTOCOL, channelPorts, serveChannels, type PortConnection, type PortHandlers } from './port-forward-channels';

export const SPDY_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** `ws` only accepts RFC 6455 tokens ('/' is not one): the offer is renamed for it and the real name put back in the 101. */
const WS_TOKEN = 'SPDY-3.1-portforward.k8s.io';

type PodLike = StoredObject & { spec?: { nodeName?: string } };

export function createPortForwardWebSocketServer(): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The first the client offers that is served (wsstream's handshake), kubectl's SPDY tunnel always.
    handleProtocols: (offered) => (offered.has(WS_TOKEN) ? WS_TOKEN : [...offered].find((p) => CHANNEL_PROTOCOLS.includes(p)) ?? false),
  });
  wss.on('headers', (headers: string[]) => {
    const i = headers.indexOf(`Sec-WebSocket-Protocol: ${WS_TOKEN}`);
    if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${SPDY_WS_PROTOCOL}`;
  });
  return wss;
}

const CHANNEL_PROTOCOLS = [CHANNEL_PROTOCOL, BASE64_CHANNEL_PROTOCOL];

interface Pair { error?: SpdyStream; data?: SpdyStream }

/** Serves one port-forward session: pairs streams by requestid and forwards each data stream. */
export function servePortForwardSession(session: SpdySession, forward: (port: number, data: SpdyStream, error: SpdyStream | undefined) => void): void {
  const pairs = new Map<string, Pair>();
  session.on('error', () => undefined);
  session.on('stream', (s: SpdyStream) => {
    const type = s.headers.streamtype;
    const requestId = s.headers.requestid ?? '';
    const port = Number(s.headers.port);
    if ((type !== 'error' && type !== 'data') || !Number.isInteger(port) || port < 1 || port > 65535) {
      s.resetStream();
      return;
    }
    s.reply();
    const pair = pairs.get(requestId) ?? {};
    pairs.set(requestId, pair);
    s.once('close', () => { if (pair.data?.destroyed !== false && pair.error?.destroyed !== false) pairs.delete(requestId); });
    if (type === 'error') {
      pair.error = s;
      s.resume(); // kubectl writes nothing on it
      return;
    }
    pair.data = s;
    forward(port, s, pair.error);
  });
}

function reportError(error: SpdyStream | undefined, message: string): void {
  if (!error || error.destroyed || error.writableEnded) return;
  error.end(message);
}

/** Relays a SPDY data stream and an agent WebSocket (paused until now) until both directions are done. */
export function relayDataStream(data: SpdyStream, error: SpdyStream | undefined, ws: WebSocket): void {
  data.on('data', (d: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(d); });
  data.on('end', () => { if (ws.readyState === ws.OPEN) ws.send(Buffer.alloc(0)); });
  data.on('close', () => { if (ws.readyState === ws.OPEN) ws.close(1000); });
  data.on('error', () => undefined);
  ws.on('message', (raw: RawData) => {
    const d = rawBuffer(raw);
    if (d.length === 0) { if (!data.writableEnded) data.end(); return; }
    if (!data.destroyed && !data.writableEnded) data.write(d);
  });
  ws.on('close', (code: number, reason: Buffer) => {
    const why = closeProblem(code, reason);
    if (why) reportError(error, why);
    else if (error && !error.writableEnded && !error.destroyed) error.end();
    if (!data.destroyed && !data.writableEnded) data.end();
  });
  ws.on('error', () => undefined);
  ws.resume();
}

/** Why the agent's WebSocket to the pod closed, when it did not close normally. */
function closeProblem(code: number, reason: Buffer): string | undefined {
  return code !== 1000 && code !== 1005 ? reason.toString() || `connection to the pod closed (${code})` : undefined;
}

/** Why the agent's WebSocket to the pod could not be opened: the agent's refusal, or the way to the node. */
function agentFailure(e: unknown, node: string): string {
  return e instanceof AgentUpgradeError ? statusMessage(e.body) : `no connection to node "${node}": ${e instanceof Error ? e.message : String(e)}`;
}

function statusMessage(body: string): string {
  try {
    const o: unknown = JSON.parse(body);
    if (typeof o === 'object' && o !== null && typeof (o as Record<string, unknown>).message === 'string') return String((o as Record<string, unknown>).message);
  } catch { /* not JSON */ }
  return body.trim();
}

export function upgradePortForward(ep: AgentEndpoint, wss: WebSocketServer, pod: PodLike, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const node = pod.spec?.nodeName ?? '';
  const ns = encodeURIComponent(pod.metadata.namespace ?? 'default');
  const name = encodeURIComponent(pod.metadata.name);
  const forward = (port: number, data: SpdyStream, error: SpdyStream | undefined): void => {
    agentWebSocket(ep, node, `/portForward/${ns}/${name}?port=${port}`, []).then(
      (ws) => {
        if (data.destroyed) { ws.close(1000); return; }
        relayDataStream(data, error, ws);
      },
      (e: unknown) => {
        reportError(error, agentFailure(e, node));
        if (!data.destroyed) data.end();
      },
    );
  };
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!offered.includes(SPDY_WS_PROTOCOL)) {
      if (offered.length && !offered.some((p) => CHANNEL_PROTOCOLS.includes(p))) {
        throw errors.badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${[SPDY_WS_PROTOCOL, ...CHANNEL_PROTOCOLS].join(' ')}]`);
      }
      const ports = channelPorts(new URL(req.url ?? '/', 'http://x').searchParams);
      wss.handleUpgrade(req, socket, head, (ws) => serveChannels(ws, ports, (port, handlers) => agentPort(ep, node, `/portForward/${ns}/${name}?port=${port}`, handlers)));
      return;
    }
    req.headers['sec-websocket-protocol'] = WS_TOKEN;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const io = createWebSocketStream(ws, { allowHalfOpen: false });
      io.on('error', () => undefined);
      servePortForwardSession(new SpdySession(io, 'server'), forward);
    });
    return;
  }
  if (upgrade === 'spdy/3.1') {
    const versions = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((s) => s.trim());
    if (!versions.includes(PORT_FORWARD_PROTOCOL)) throw errors.badRequest(`port-forward needs stream protocol ${PORT_FORWARD_PROTOCOL}`);
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
    servePortForwardSession(new SpdySession(socket, 'server', head), forward);
    return;
  }
  throw errors.badRequest('port-forward needs a WebSocket or SPDY/3.1 upgrade');
}

/** One port of a channel session: the agent's /portForward WebSocket; what the client sends before it is up is kept. */
function agentPort(ep: AgentEndpoint, node: string, path: string, h: PortHandlers): PortConnection {
  let ws: WebSocket | undefined;
  let closed = false;
  const pending: Buffer[] = [];
  agentWebSocket(ep, node, path, []).then(
    (agent) => {
      if (closed) { agent.close(1000); return; }
      ws = agent;
      // The pod's side ending ends the port (the client's channel cannot be half-closed), as containerd's forward
      // ends when either direction does.
      agent.on('message', (raw: RawData) => {
        const d = rawBuffer(raw);
        if (d.length) { h.data(d); return; }
        agent.close(1000);
        h.end();
      });
      agent.on('close', (code: number, reason: Buffer) => h.end(closeProblem(code, reason)));
      agent.on('error', () => undefined);
      for (const d of pending.splice(0)) agent.send(d);
      agent.resume();
    },
    (e: unknown) => h.end(agentFailure(e, node)),
  );
  return {
    write: (d) => { if (ws) { if (ws.readyState === ws.OPEN) ws.send(d); } else pending.push(d); },
    close: () => { closed = true; if (ws && ws.readyState === ws.OPEN) ws.close(1000); },
  };
}
