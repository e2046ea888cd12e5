// What the stores talk through: the contract's BridgeApi, plus (web mode only) connection status.
import type { BridgeApi, BridgeResult, CallRes, PreloadApi } from '../../../main/bridge/contract';

/** 'forbidden': the server is up but refuses our token (it restarted with a new one). */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'forbidden';

export interface Transport extends BridgeApi {
  /** Connection changes; a transport that never disconnects never calls it. Returns the disposer. */
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
}

/** Wraps the bridge Electron's preload exposes (always connected); a value sent encoded is parsed here, in the page. */
export function alwaysOpen(api: PreloadApi): Transport {
  return {
    call: async <K extends Parameters<BridgeApi['call']>[0]>(name: K, req: Parameters<BridgeApi['call']>[1]) => {
      const r = await api.call(name, req);
      return ('encoded' in r ? { ok: true, value: JSON.parse(r.encoded) as CallRes<K> } : r) as BridgeResult<CallRes<K>>;
    },
    on: (name, listener) => api.on(name, listener),
    onStatus: () => () => undefined,
    status: 'open',
  };
}
