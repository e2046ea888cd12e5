// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bridgeUrl, takeToken, wsTransport } from '../../../renderer/src/bridge/ws-transport';
import { settle } from './fake-transport';

/** A stand-in for the browser's WebSocket, driven by the test. */
class FakeSocket {
  static OPEN = 1;
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(m: string) {
    this.sent.push(m);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('web-mode transport', () => {
  it('takes the token from the URL into the session and out of the address bar', () => {
    history.replaceState(null, '', '/?token=abc&x=1#map');
    const token = takeToken(location, sessionStorage, history);
    expect(token).toBe('abc');
    expect(location.search).toBe('?x=1');
    expect(sessionStorage.getItem('flotilla-token')).toBe('abc');
    expect(takeToken(location, sessionStorage, history)).toBe('abc');
    expect(bridgeUrl(location, 'abc')).toBe(`ws://${location.host}/bridge?token=abc`);
  });

  it('queues calls until open, matches answers, delivers events, and fails calls lost with the connection', async () => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    const t = wsTransport({ url: 'ws://x/bridge', WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
    const statuses: string[] = [];
    t.onStatus((s) => statuses.push(s));
    const events: unknown[] = [];
    t.on('log', (p) => events.push(p));
    const answer = t.call('providers', null);
    const ws = FakeSocket.instances[0];
    expect(ws.sent).toEqual([]);
    ws.open();
    expect(statuses).toEqual(['open']);
    const sent = JSON.parse(ws.sent[0]) as { id: number; call: string };
    expect(sent.call).toBe('providers');
    ws.receive({ id: sent.id, result: { ok: true, value: [] } });
    expect(await answer).toEqual({ ok: true, value: [] });
    ws.receive({ event: 'log', payload: { streamId: 's', lines: ['x'] } });
    expect(events).toEqual([{ streamId: 's', lines: ['x'] }]);

    const lost = t.call('list', { kind: 'pods' });
    ws.drop();
    expect((await lost).ok).toBe(false);
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(300);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1].open();
    expect(statuses.at(-1)).toBe('open');
  });

  it('never sends a call it has reported failed (made while disconnected, failed with the next attempt)', async () => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    const t = wsTransport({ url: 'ws://x/bridge', WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
    FakeSocket.instances[0].open();
    FakeSocket.instances[0].drop();
    const scale = t.call('scale', { namespace: 'default', name: 'hello', replicas: 3 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1].drop();
    const r = await scale;
    expect(r).toMatchObject({ ok: false, error: { code: 503 } });
    await vi.advanceTimersByTimeAsync(5000);
    const next = FakeSocket.instances.at(-1)!;
    next.open();
    const after = t.call('providers', null);
    expect(next.sent.map((m) => (JSON.parse(m) as { call: string }).call)).toEqual(['providers']);
    next.receive({ id: (JSON.parse(next.sent[0]) as { id: number }).id, result: { ok: true, value: [] } });
    expect(await after).toEqual({ ok: true, value: [] });
  });

  it('sends a call made before the first connection once it opens, exactly once', async () => {
    FakeSocket.instances = [];
    const t = wsTransport({ url: 'ws://x/bridge', WebSocketImpl: FakeSocket as unknown as typeof WebSocket });
    void t.call('providers', null);
    FakeSocket.instances[0].open();
    expect(FakeSocket.instances[0].sent).toHaveLength(1);
  });

  it('says when the server refuses the token (restarted with a new one) after connections keep failing', async () => {
    vi.useFakeTimers();
    FakeSocket.instances = [];
    const t = wsTransport({ url: 'ws://x/bridge', WebSocketImpl: FakeSocket as unknown as typeof WebSocket, refusesToken: async () => true });
    const statuses: string[] = [];
    t.onStatus((s) => statuses.push(s));
    FakeSocket.instances[0].drop();
    await settle();
    expect(statuses).toEqual(['reconnecting']);
    await vi.advanceTimersByTimeAsync(300);
    FakeSocket.instances[1].drop();
    await settle();
    expect(statuses.at(-1)).toBe('forbidden');
  });
});
