// Web mode: the bridge over a WebSocket to the server that served this page, reconnecting with
// backoff. Calls made while disconnected wait for the connection.
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
  const inflight = new Map<number, (r: BridgeResult<unknown>) => void>();
  let queue: string[] = [];
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
      const q = queue;
      queue = [];
      for (const m of q) ws.send(m);
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
        const done = inflight.get(m.id);
        inflight.delete(m.id);
        done?.(m.result);
      } else {
        for (const l of listeners.get(m.event) ?? []) l(m.payload);
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      // Calls in flight on a lost connection fail: their answers would never come.
      for (const done of inflight.values()) done({ ok: false, error: { code: 503, reason: 'ServiceUnavailable', message: 'lost the connection to Flotilla; reconnecting' } });
      inflight.clear();
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
        inflight.set(id, resolve as (r: BridgeResult<unknown>) => void);
        if (socket && socket.readyState === WS.OPEN) socket.send(msg);
        else queue.push(msg);
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
