// The bridge over WebSocket for web mode: one session per connection, token checked on upgrade.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { WsClientMessage, WsServerMessage } from './contract';
import type { BridgeDeps, BridgeSession } from './handlers';
import { createClusterSession } from './clusters/session';
import { closeRemoteForwards } from './clusters/remote-forwards';
import { encodedValue } from './list-cache';

export interface WsBridge {
  /** Handles an HTTP upgrade already checked by the caller (path and token). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

function parseMessage(data: unknown): WsClientMessage | undefined {
  try {
    const m = JSON.parse(String(data)) as unknown;
    if (m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'number' && typeof (m as { call?: unknown }).call === 'string') {
      return m as WsClientMessage;
    }
  } catch {
    // ignored below
  }
  return undefined;
}

/** A call's answer as the message's text: a value kept encoded (list-cache.ts) goes into it as it is. */
async function answer(session: BridgeSession, msg: WsClientMessage): Promise<string> {
  const encoded = await encodedValue(session, msg.call, msg.req);
  if (encoded !== undefined) return `{"id":${msg.id},"result":{"ok":true,"value":${encoded}}}`;
  const reply: WsServerMessage = { id: msg.id, result: await session.call(msg.call, msg.req) };
  return JSON.stringify(reply);
}

export function createWsBridge(deps: BridgeDeps): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  deps.listCache?.warm();
  wss.on('connection', (ws: WebSocket) => {
    const send = (m: WsServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const session = createClusterSession(deps, (event, payload) => send({ event, payload }));
    ws.on('message', (data) => {
      const msg = parseMessage(data);
      if (!msg) {
        ws.close(1003, 'malformed message');
        return;
      }
      void answer(session, msg).then((text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      });
    });
    ws.on('close', () => session.dispose());
    ws.on('error', () => session.dispose());
  });
  return {
    upgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const c of wss.clients) c.terminate();
      deps.listCache?.stop();
      void closeRemoteForwards(deps);
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
