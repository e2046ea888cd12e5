// pods/exec and pods/attach: accepts kubectl's WebSocket (v5.channel.k8s.io, also v4) and relays its
// messages verbatim to the node agent's /exec WebSocket (same channel protocol) and back.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StoredObject } from '../../api/types';
import { errors } from '../status';
import { AgentUpgradeError, agentWebSocket, type AgentEndpoint } from './agent-connection';
import { agentStatusError, nodeUnreachable } from './agent-errors';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

type PodLike = StoredObject & { spec?: { nodeName?: string; containers?: Array<{ name: string }> } };

export function createExecWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

export function execPath(pod: PodLike, query: URLSearchParams): string {
  const container = query.get('container') || pod.spec?.containers?.[0]?.name || '';
  const q = new URLSearchParams();
  for (const c of query.getAll('command')) q.append('command', c);
  for (const k of ['stdin', 'stdout', 'stderr', 'tty']) {
    const v = query.get(k);
    if (v === 'true' || v === '1') q.set(k, 'true');
  }
  const seg = encodeURIComponent;
  return `/exec/${seg(pod.metadata.namespace ?? 'default')}/${seg(pod.metadata.name)}/${seg(container)}?${q.toString()}`;
}

/** Relays kubectl's WebSocket `a` and the agent's `b` (paused until now) both ways. */
function relay(a: WebSocket, b: WebSocket): void {
  const forward = (from: WebSocket, to: WebSocket): void => {
    from.on('message', (data: RawData, isBinary: boolean) => { if (to.readyState === to.OPEN) to.send(data, { binary: isBinary }); });
    from.on('close', (code: number, reason: Buffer) => {
      if (to.readyState === to.OPEN || to.readyState === to.CONNECTING) {
        const ok = code === 1000 || (code >= 3000 && code <= 4999);
        to.close(ok ? code : 1000, reason.length ? reason : undefined);
      }
    });
    from.on('error', () => to.terminate());
  };
  forward(a, b);
  forward(b, a);
  b.resume();
}

export async function upgradeExec(
  ep: AgentEndpoint, wss: WebSocketServer, pod: PodLike, sub: 'exec' | 'attach', req: IncomingMessage, socket: Duplex, head: Buffer,
): Promise<void> {
  if (sub === 'attach') throw errors.badRequest('attach is not supported by this cluster\'s nodes; use exec');
  const query = new URL(req.url ?? '/', 'http://api').searchParams;
  const container = query.get('container');
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (container && !names.includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  if (!container && names.length > 1) throw errors.badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  // (kubectl retries a refused WebSocket with SPDY: the container checks come first so both answers agree.)
  if (!isWebSocketUpgrade(req)) throw errors.badRequest('exec needs a WebSocket upgrade (v5.channel.k8s.io)');
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
  const protocol = CHANNEL_PROTOCOLS.find((p) => offered.includes(p));
  if (!protocol) throw errors.badRequest(`exec needs one of the WebSocket subprotocols ${CHANNEL_PROTOCOLS.join(', ')}`);
  const node = pod.spec?.nodeName ?? '';
  let upstream: WebSocket;
  try {
    upstream = await agentWebSocket(ep, node, execPath(pod, query), [protocol]);
  } catch (e) {
    if (e instanceof AgentUpgradeError) throw agentStatusError(e.statusCode, e.body);
    throw nodeUnreachable(node, e);
  }
  if (socket.destroyed) { upstream.terminate(); return; }
  wss.handleUpgrade(req, socket, head, (client) => relay(client, upstream));
  socket.once('close', () => { if (upstream.readyState === upstream.OPEN) upstream.close(1000); });
}
