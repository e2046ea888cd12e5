// The one bridge the stores and composables use, set once at start-up.
import type { BridgeError, BridgeEvents, CallName, CallReq, CallRes, EventName } from '../../../main/bridge/contract';
import type { ConnectionStatus, Transport } from './transport';

let current: Transport | undefined;

export function setTransport(t: Transport): void {
  current = t;
}

function transport(): Transport {
  if (!current) throw new Error('the bridge is not set up');
  return current;
}

/** A failed bridge call, with the server's readable message. */
export class BridgeCallError extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
  }
  get code(): number {
    return this.error.code;
  }
}

export async function call<K extends CallName>(name: K, req: CallReq<K>): Promise<CallRes<K>> {
  const r = await transport().call(name, req);
  if (!r.ok) throw new BridgeCallError(r.error);
  return r.value;
}

export function onEvent<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void {
  return transport().on(name, listener);
}

export function onStatus(listener: (s: ConnectionStatus) => void): () => void {
  return transport().onStatus(listener);
}

/**
 * Calls `onLost` when the connection drops (the server forgets this connection's subscriptions and watches with it)
 * and `onBack` once it is open again, so a subscriber can take its subscription again.
 */
export function onReconnect(onBack: () => void, onLost?: () => void): () => void {
  let lost = false;
  return onStatus((s) => {
    if (s === 'reconnecting' || s === 'forbidden') {
      lost = true;
      onLost?.();
    } else if (s === 'open' && lost) {
      lost = false;
      onBack();
    }
  });
}

export function connectionStatus(): ConnectionStatus {
  return transport().status;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
