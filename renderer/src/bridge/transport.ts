// What the stores talk through: the contract's BridgeApi, plus (web mode only) connection status.
import type { BridgeApi } from '../../../main/bridge/contract';

/** 'forbidden': the server is up but refuses our token (it restarted with a new one). */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'forbidden';

export interface Transport extends BridgeApi {
  /** Connection changes; a transport that never disconnects never calls it. Returns the disposer. */
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
}

/** Wraps a BridgeApi that is always connected (Electron's preload). */
export function alwaysOpen(api: BridgeApi): Transport {
  return {
    call: (name, req) => api.call(name, req),
    on: (name, listener) => api.on(name, listener),
    onStatus: () => () => undefined,
    status: 'open',
  };
}
