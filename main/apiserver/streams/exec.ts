// pods/exec and pods/attach: accepts kubectl's WebSocket (v5.channel.k8s.io, also v4) and relays its
// messages verbatim to the node agent's /exec WebSocket (same channel protocol) and back; kubectl's SPDY
// fallback is served by exec-spdy.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { errors } from '../status';
import { queryFlag } from '../query-bool';
import { requestUrl } from '../request';
import { AgentUpgradeError, agentWebSocket, type AgentEndpoint } from '../../protocol/agent-connection';
import { agentStatusError, echoAgentRefusal, nodeUnreachable } from './agent-errors';
import { negotiateSpdyExec, serveSpdyExec } from './exec-spdy';
import { CHANNEL_PROTOCOLS, SPDY_EXEC_PROTOCOL } from '../../protocol/exec-channels';
import { resolveContainer, type PodWithContainers } from './pod-containers';

type PodLike = PodWithContainers & { spec?: { nodeName?: string } };

export function createExecWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
}

/** The agent's /exec or /attach URL for the request's container (resolved already) and streams. */
export function execPath(pod: PodLike, query: URLSearchParams, sub: 'exec' | 'attach' = 'exec'): string {
  const container = resolveContainer(pod, query.get('container'));
  const q = new URLSearchParams();
  if (sub === 'exec') for (const c of query.getAll('command')) q.append('command', c);
  for (const k of ['stdin', 'stdout', 'stderr', 'tty']) if (queryFlag(query, k)) q.set(k, 'true');
  const seg = encodeURIComponent;
  return `/${sub}/${seg(pod.metadata.namespace ?? 'default')}/${seg(pod.metadata.name)}/${seg(container)}?${q.toString()}`;
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
  const query = requestUrl(req.url ?? '/').searchParams;
  const path = execPath(pod, query, sub);
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  let protocol: string | undefined;
  let spdyProtocol: string | undefined;
  if (upgrade === 'websocket') {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    protocol = CHANNEL_PROTOCOLS.find((p) => offered.includes(p));
    if (!protocol) throw errors.badRequest(`exec needs one of the WebSocket subprotocols ${CHANNEL_PROTOCOLS.join(', ')}`);
  } else if (upgrade === 'spdy/3.1') {
    // kubectl's fallback after a refused WebSocket: same checks (so the same error), then SPDY streams.
    spdyProtocol = negotiateSpdyExec(req.headers['x-stream-protocol-version']);
    if (!spdyProtocol) throw errors.badRequest(`exec over SPDY needs stream protocol ${SPDY_EXEC_PROTOCOL}`);
  } else {
    throw errors.badRequest('exec needs a WebSocket (v5.channel.k8s.io) or SPDY/3.1 upgrade');
  }
  const node = pod.spec?.nodeName ?? '';
  let upstream: WebSocket;
  try {
    upstream = await agentWebSocket(ep, node, path, [protocol ?? 'v5.channel.k8s.io']);
  } catch (e) {
    if (e instanceof AgentUpgradeError && echoAgentRefusal(socket, e.statusCode, e.body)) return;
    if (e instanceof AgentUpgradeError) throw agentStatusError(e.statusCode, e.body);
    throw nodeUnreachable(node, e);
  }
  if (socket.destroyed) { upstream.terminate(); return; }
  if (spdyProtocol) {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${spdyProtocol}\r\n\r\n`);
    const flag = (k: string): boolean => queryFlag(query, k);
    serveSpdyExec(socket, head, upstream, { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') });
    return;
  }
  wss.handleUpgrade(req, socket, head, (client) => relay(client, upstream));
  socket.once('close', () => { if (upstream.readyState === upstream.OPEN) upstream.close(1000); });
}
