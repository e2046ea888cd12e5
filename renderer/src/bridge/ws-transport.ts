// Web mode: the bridge over a WebSocket to the server that served this page, reconnecting with
// backoff. A call made before the connection opens waits for it; when a connection closes (or an
// attempt fails), every call not yet answered fails with it and is forgotten: a call reported as
// failed is never sent later.
import type { BridgeEvents, BridgeResult, CallName, CallReq, CallRes, EventName, WsServerMessage } from '../../../main/bridge/contract';
import type { ConnectionStatus, Transport } from './transport';

export interface WsTransportOptions {
  url: string;
  /** For tests: the WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
  /** Asked after connections keep failing: is the server up but refusing our token? */
  refusesToken?: () => Promise<boolean>;
}

export function wsTransport(opts: WsTransportOptions): Transport {
  const WS = opts.WebSocketImpl ?? WebSocket;
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  /** Calls not yet answered, in the order made; `sent` once on the wire. */
  const pending = new Map<number, { msg: string; done: (r: BridgeResult<unknown>) => void; sent: boolean }>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let status: ConnectionStatus = 'connecting';
  let backoff = 250;

  const setStatus = (s: ConnectionStatus) => {
    status = s;
    for (const l of statusListeners) l(s);
  };

  let failures = 0;
  const connect = () => {
    const ws = new WS(opts.url);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      if (status === 'connecting') performance.mark('flotilla:connected');
      backoff = 250;
      for (const p of pending.values()) {
        if (p.sent) continue;
        p.sent = true;
        ws.send(p.msg);
      }
      setStatus('open');
    };
    ws.onmessage = (ev: MessageEvent) => {
      let m: WsServerMessage;
      try {
        m = JSON.parse(String(ev.data)) as WsServerMessage;
      } catch {
        return;
      }
      if ('id' in m) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        p?.done(m.result);
      } else {
        for (const l of listeners.get(m.event) ?? []) l(m.payload);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      // Every call not answered fails with the connection (sent: its answer would never come;
      // waiting: it is reported failed now, so it must never be sent later).
      const failed = [...pending.values()];
      pending.clear();
      for (const p of failed) p.done({ ok: false, error: { code: 503, reason: 'ServiceUnavailable', message: p.sent ? 'lost the connection to Flotilla; reconnecting' : 'not connected to Flotilla; reconnecting' } });
      if (!opened) failures++;
      if (failures >= 2 && opts.refusesToken) {
        void opts.refusesToken().then((refused) => setStatus(refused ? 'forbidden' : 'reconnecting'), () => setStatus('reconnecting'));
      } else setStatus('reconnecting');
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  };
  connect();

  return {
    get status() {
      return status;
    },
    call<K extends CallName>(name: K, req: CallReq<K>): Promise<BridgeResult<CallRes<K>>> {
      const id = nextId++;
      const msg = JSON.stringify({ id, call: name, req });
      return new Promise((resolve) => {
        const open = socket !== undefined && socket.readyState === WS.OPEN;
        pending.set(id, { msg, done: resolve as (r: BridgeResult<unknown>) => void, sent: open });
        if (open) socket?.send(msg);
      });
    },
    on<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
  };
}

/** The token from the page URL (first load) or this tab's session; strips it from the address bar. */
export function takeToken(loc: Location, storage: Storage, history: History): string | undefined {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem('flotilla-token', fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem('flotilla-token') ?? undefined;
}

/** True when the server answers but refuses this page's token (a 403 for the page itself). */
export async function pageRefused(origin: string, token: string | undefined): Promise<boolean> {
  const r = await fetch(`${origin}/${token ? `?token=${encodeURIComponent(token)}` : ''}`, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
  return r.status === 403;
}

export function bridgeUrl(loc: Location, token: string | undefined): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}/bridge${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
