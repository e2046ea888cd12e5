// A scripted bridge transport for renderer unit tests: answers calls from a table, records them,
// and pushes events and connection changes on demand.
import type { KObject } from '../../../main/api/types';
import type { BridgeEvents, BridgeResult, CallName, CallReq, CallRes, EventName, Kind } from '../../../main/bridge/contract';
import type { ConnectionStatus, Transport } from '../../../renderer/src/bridge/transport';

type Handler<K extends CallName> = (req: CallReq<K>) => CallRes<K> | Promise<CallRes<K>>;

export class FakeTransport implements Transport {
  status: ConnectionStatus = 'open';
  readonly calls: Array<{ name: CallName; req: unknown }> = [];
  private readonly handlers = new Map<CallName, (req: unknown) => unknown>();
  private readonly listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();

  handle<K extends CallName>(name: K, fn: Handler<K>): this {
    this.handlers.set(name, fn as (req: unknown) => unknown);
    return this;
  }

  async call<K extends CallName>(name: K, req: CallReq<K>): Promise<BridgeResult<CallRes<K>>> {
    this.calls.push({ name, req });
    const h = this.handlers.get(name);
    if (!h) return { ok: false, error: { code: 501, reason: 'NotImplemented', message: `no fake for ${name}` } };
    try {
      return { ok: true, value: (await h(req)) as CallRes<K> };
    } catch (e) {
      const err = e as { code?: number; message?: string };
      return { ok: false, error: { code: err.code ?? 500, reason: 'Failed', message: err.message ?? String(e) } };
    }
  }

  on<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  emit<E extends EventName>(name: E, payload: BridgeEvents[E]): void {
    for (const l of this.listeners.get(name) ?? []) l(payload);
  }

  setStatus(s: ConnectionStatus): void {
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  callsOf(name: CallName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.req);
  }
}

/**
 * A transport whose lists answer from `lists` (read at call time, so a test may change it) and whose
 * watches and metric subscriptions are accepted: what the stores' informers need to start.
 */
export function informerTransport(lists: () => Partial<Record<Kind, KObject[]>>): FakeTransport {
  return new FakeTransport()
    .handle('list', (req) => ({ items: lists()[req.kind] ?? [], resourceVersion: '1' }))
    .handle('watch', () => ({ watchId: 'w' }))
    .handle('subscribeMetrics', () => ({ subscriptionId: 'm' }))
    .handle('unsubscribeMetrics', () => null);
}

/** Lets pending promises and microtasks run. */
export async function settle(times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

export class CodedError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}
