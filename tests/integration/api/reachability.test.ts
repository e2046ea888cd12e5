// A client whose server went away (the agent's watches while the control plane restarts and re-makes its SSH tunnel)
// retries as soon as the server takes connections again, not at its back-off's next step: the probe against real
// loopback ports, and a reflector in a 30-s back-off that lists again within seconds of a relay to the real HTTPS API
// server opening on its port (the node's end of the tunnel coming back).
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { freePort } from '../../helpers/free-port';
import { HttpClient } from '../../../main/client/http';
import { Informer } from '../../../main/client/cache/informer';
import { isUnreachable, ReachabilityProbe } from '../../../main/client/reachability';
import { R } from '../../../main/client/refs';
import { ClientError } from '../../../main/client/types';
import type { ConfigMap, KObject } from '../../../main/api/types';

let c: TestCluster;
beforeAll(async () => { c = await startTestCluster(); });
afterAll(async () => { await c?.stop(); });

/** A TCP relay on `port` to `target` on loopback, as a node's tunnel end; close() ends it and its connections. */
async function relay(port: number, target: number): Promise<{ close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const out = net.connect({ host: '127.0.0.1', port: target });
    for (const s of [inbound, out]) { sockets.add(s); s.on('error', () => undefined); s.once('close', () => sockets.delete(s)); }
    inbound.pipe(out).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
  return {
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

const apiPort = (): number => Number(new URL(c.core.api.url).port);

describe('reaching a server again', () => {
  it('tells a connection that failed or dropped from an answer of the server', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(isUnreachable(refused)).toBe(true);
    expect(isUnreachable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isUnreachable(new Error('socket hang up'))).toBe(true);
    expect(isUnreachable(new ClientError(503, 'ServiceUnavailable', 'not ready'))).toBe(false);
    expect(isUnreachable(new Error('request timed out'))).toBe(false);
    expect(isUnreachable('ECONNREFUSED')).toBe(false);
    // HTTP/2: the streams of a session that could not connect are cancelled, the connect error their cause.
    expect(isUnreachable(Object.assign(new Error('The pending stream has been canceled'), { code: 'ERR_HTTP2_STREAM_CANCEL', cause: refused }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('The pending stream has been canceled'), { code: 'ERR_HTTP2_STREAM_CANCEL' }))).toBe(false);
  });

  it('probes a refusing port often while the outage is young, then seldom, and wakes every waiter once when it takes connections', async () => {
    const port = await freePort();
    const probe = new ReachabilityProbe('127.0.0.1', port, { minMs: 20, fastForMs: 300, maxMs: 400 });
    const woken: string[] = [];
    probe.whenReachable(() => woken.push('a'));
    probe.whenReachable(() => woken.push('b'));
    const gone = probe.whenReachable(() => woken.push('gone'));
    gone();
    const t0 = Date.now();
    await waitFor(() => probe.probes >= 5, 'five refused probes', 10_000, 5);
    await waitFor(() => Date.now() - t0 >= 400, 'the outage 400 ms old', 10_000, 5);
    const n = probe.probes;
    const t1 = Date.now();
    await waitFor(() => probe.probes >= n + 2, 'two more probes', 10_000, 5);
    // Past the fast 300 ms: a probe every 400 ms, so two more take over 400 ms.
    expect(Date.now() - t1).toBeGreaterThanOrEqual(400);
    expect(woken).toEqual([]);
    const r = await relay(port, apiPort());
    try {
      await waitFor(() => woken.length === 2, 'both waiters woken', 10_000, 5);
      expect(woken.sort()).toEqual(['a', 'b']);
    } finally {
      await r.close();
    }
  });

  it.each([false, true])('a reflector in a 30-s back-off after its server refused it lists as soon as the server is reachable (HTTP/2: %s)', async (http2) => {
    const port = await freePort();
    const client = new HttpClient({ server: `https://127.0.0.1:${port}`, token: c.core.auth.adminToken, caCertPem: c.core.caCertPem, http2 });
    const errors: unknown[] = [];
    const inf = new Informer<ConfigMap & KObject>(client, R.configmaps, { namespace: 'default', backoffMs: 30_000, maxBackoffMs: 60_000, onError: (e) => errors.push(e) });
    const stop = inf.start();
    let r: { close: () => Promise<void> } | undefined;
    try {
      await waitFor(() => errors.length >= 1, 'the first list refused', 10_000, 5);
      expect(isUnreachable(errors[0])).toBe(true);
      r = await relay(port, apiPort());
      // The back-off's first step is 15–30 s: listing within 10 s is the wake-up.
      await waitFor(() => inf.isSynced, 'the informer synced through the relay', 10_000, 20);
      expect(errors).toHaveLength(1);
    } finally {
      stop();
      client.close();
      await r?.close();
    }
  });
});
