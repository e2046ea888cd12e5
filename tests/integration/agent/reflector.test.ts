// The client library's informer, as the agent uses it, against a real API server over HTTPS through a
// connection we can cut (as the SSH tunnel may drop): reconnects with backoff and catches up (adds,
// changes and deletions made while away arrive as events), and re-lists when its resourceVersion was
// compacted (410). Over HTTP/1.1 (a connection per watch) and HTTP/2 (the agent's: every watch a stream of one
// connection, which is pinged when quiet and given up when the ping goes unanswered).
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../main/api/types';
import { HttpClient } from '../../../main/client/http';
import { Informer } from '../../../main/client/cache/informer';
import type { ChangeType } from '../../../main/client/cache/reflector';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
const SECRETS = { group: '', version: 'v1', plural: 'secrets', namespaced: true };

/** A TCP relay to the API server that can be cut (every connection reset) and restored on the same port. */
class Tunnel {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** Connections accepted since the tunnel was made. */
  accepted = 0;
  private frozen = false;
  constructor(private readonly target: number) {}
  async open(): Promise<void> {
    const server = net.createServer((c) => {
      this.accepted++;
      const u = net.connect(this.target, '127.0.0.1');
      for (const s of [c, u]) { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); s.on('error', () => undefined); }
      c.on('close', () => u.destroy());
      u.on('close', () => c.destroy());
      // Bytes are passed on unless the tunnel is frozen (then they are swallowed: a link that died without a word).
      c.on('data', (d: Buffer) => { if (!this.frozen) u.write(d); });
      u.on('data', (d: Buffer) => { if (!this.frozen) c.write(d); });
    });
    this.server = server;
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.port = (server.address() as net.AddressInfo).port;
  }
  /** Connections stay open, but nothing passes either way until thaw(). */
  freeze(): void { this.frozen = true; }
  thaw(): void { this.frozen = false; }
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Handlers that log `TYPE name v` lines. */
function logChanges(inf: Informer<ConfigMap>, events: string[]): void {
  const log = (type: ChangeType) => (o: ConfigMap) => events.push(`${type} ${o.metadata?.name} ${o.data?.v ?? ''}`);
  inf.addHandler({ add: log('ADDED'), update: (_old, o) => log('MODIFIED')(o), delete: log('DELETED') });
}

describe.each([
  { protocol: 'HTTP/1.1', http2: false },
  { protocol: 'HTTP/2', http2: true },
])('informer over HTTPS ($protocol)', ({ http2 }) => {
  let cluster: TestCluster;
  let tunnel: Tunnel;
  let client: HttpClient;
  const ns = 'default';

  beforeAll(async () => {
    cluster = await startTestCluster();
    tunnel = new Tunnel(Number(new URL(cluster.core.api.url).port));
    await tunnel.open();
    client = new HttpClient({
      server: `https://127.0.0.1:${tunnel.port}`, token: cluster.core.auth.adminToken, caCertPem: cluster.core.caCertPem, http2,
    });
  });
  afterAll(async () => {
    client?.close();
    await tunnel?.cut();
    await cluster?.stop();
  });

  const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { t: 'refl' } }, data: { v } });

  it('catches up after the connection drops: changes made meanwhile arrive as events', async () => {
    const events: string[] = [];
    const errors: unknown[] = [];
    const r = new Informer<ConfigMap>(client, CONFIGMAPS, { labelSelector: 't=refl', backoffMs: 50, maxBackoffMs: 200, onError: (e) => errors.push(e) });
    logChanges(r, events);
    await cluster.client.create(CONFIGMAPS, cm('a', '1'));
    await cluster.client.create(CONFIGMAPS, cm('b', '1'));
    const stop = r.start();
    try {
      await r.hasSynced;
      await cluster.client.create(CONFIGMAPS, cm('w', '1'));
      await waitFor(() => events.includes('ADDED w 1'), 'watch event');
      expect(events.slice(0, 2).sort()).toEqual(['ADDED a 1', 'ADDED b 1']);
      await tunnel.cut();
      await cluster.client.update(CONFIGMAPS, cm('a', '2'));
      await cluster.client.delete(CONFIGMAPS, 'b', { namespace: ns });
      await cluster.client.create(CONFIGMAPS, cm('c', '1'));
      await waitFor(() => errors.length > 0, 'the reflector notices the drop');
      await tunnel.open();
      await waitFor(() => ['MODIFIED a 2', 'DELETED b 1', 'ADDED c 1'].every((e) => events.includes(e)), 'caught up', 10_000);
      expect(r.list().map((o) => o.metadata?.name).sort()).toEqual(['a', 'c', 'w']);
      await cluster.client.update(CONFIGMAPS, cm('c', '2'));
      await waitFor(() => events.includes('MODIFIED c 2'), 'watching again');
    } finally {
      stop();
    }
  });

  it('a silent tunnel (accepts, never answers) fails requests after requestTimeoutMs, and the next one gets through on a new connection once the server answers', async () => {
    const sockets = new Set<net.Socket>();
    let answering = false;
    const apiPort = Number(new URL(cluster.core.api.url).port);
    // Connections accepted while silent stay open and swallow every byte (their TLS handshake never completes).
    const hole = net.createServer((c) => {
      sockets.add(c);
      c.on('error', () => undefined);
      if (!answering) return;
      const u = net.connect(apiPort, '127.0.0.1');
      sockets.add(u);
      u.on('error', () => undefined);
      c.pipe(u).pipe(c);
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    const port = (hole.address() as net.AddressInfo).port;
    const silent = new HttpClient({ server: `https://127.0.0.1:${port}`, token: cluster.core.auth.adminToken, caCertPem: cluster.core.caCertPem, requestTimeoutMs: 300, http2 });
    try {
      const t0 = Date.now();
      await expect(silent.get(CONFIGMAPS, 'a', ns)).rejects.toThrow(/no answer in 300 ms/);
      expect(Date.now() - t0).toBeLessThan(3000);
      answering = true;
      // The connection that never answered is not used again: a request made now is answered.
      let last: unknown;
      await waitFor(async () => {
        try {
          await silent.list(CONFIGMAPS, { namespace: ns });
          return true;
        } catch (e) {
          last = e;
          return false;
        }
      }, 'a request answered once the server answers', 10_000).catch((e: Error) => { throw new Error(`${e.message}; the last request failed with: ${String(last)}`); });
    } finally {
      silent.close();
      for (const c of sockets) c.destroy();
      await new Promise<void>((r) => hole.close(() => r()));
    }
  });

  it('re-lists when the server says its resourceVersion is gone (410)', async () => {
    const events: string[] = [];
    const errors: string[] = [];
    const r = new Informer<ConfigMap>(client, CONFIGMAPS, { labelSelector: 't=refl', backoffMs: 50, maxBackoffMs: 200, watchTimeoutSeconds: 1, onError: (e) => errors.push(String(e)) });
    logChanges(r, events);
    const stop = r.start();
    try {
      await r.hasSynced;
      // Move the store on with objects the reflector does not watch, then compact past its resourceVersion.
      for (let i = 0; i < 5; i++) await cluster.client.create(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}`, namespace: ns } });
      const rv = Number((await cluster.client.list(SECRETS, { namespace: ns })).metadata.resourceVersion);
      cluster.core.store.compact(rv);
      // Each watch ends after 1 s; the next one asks for the compacted resourceVersion and gets 410.
      await waitFor(() => r.lists >= 2, 're-list after 410', 15_000);
      expect(errors.some((e) => /too old|expired|gone|compacted/i.test(e))).toBe(true);
      await cluster.client.update(CONFIGMAPS, cm('a', '3'));
      await waitFor(() => events.includes('MODIFIED a 3'), 'watching after the re-list');
    } finally {
      stop();
    }
  });

  it('watches several kinds at once on one connection over HTTP/2, one connection each over HTTP/1.1', async () => {
    const before = tunnel.accepted;
    const kinds = [CONFIGMAPS, SECRETS, { group: '', version: 'v1', plural: 'services', namespaced: true }, { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }];
    const informers = kinds.map((k) => new Informer(client, k, { backoffMs: 50, maxBackoffMs: 200 }));
    const stops = informers.map((i) => i.start());
    try {
      await Promise.all(informers.map((i) => i.hasSynced));
      const events: string[] = [];
      informers[0].addHandler({ add: (o) => events.push(o.metadata?.name ?? '') });
      await cluster.client.create(CONFIGMAPS, cm('shared', '1'));
      await waitFor(() => events.includes('shared'), 'the event on a shared connection');
      const opened = tunnel.accepted - before;
      if (http2) expect(opened).toBeLessThanOrEqual(1); // the session may already be open from an earlier test
      else expect(opened).toBeGreaterThanOrEqual(kinds.length);
    } finally {
      for (const stop of stops) stop();
    }
  });
});

describe('HTTP/2 health check', () => {
  let cluster: TestCluster;
  let tunnel: Tunnel;
  let client: HttpClient;

  beforeAll(async () => {
    cluster = await startTestCluster();
    tunnel = new Tunnel(Number(new URL(cluster.core.api.url).port));
    await tunnel.open();
    client = new HttpClient({
      server: `https://127.0.0.1:${tunnel.port}`, token: cluster.core.auth.adminToken, caCertPem: cluster.core.caCertPem, http2: true,
      http2HealthCheck: { readIdleMs: 300, pingTimeoutMs: 400 },
    });
  });
  afterAll(async () => {
    client?.close();
    await tunnel?.cut();
    await cluster?.stop();
  });

  const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { t: 'refl' } }, data: { v } });

  it('a connection that goes silent is pinged, given up, and every watch on it opened again', async () => {
    const events: string[] = [];
    const errors: string[] = [];
    const r = new Informer<ConfigMap>(client, CONFIGMAPS, { labelSelector: 't=refl', backoffMs: 50, maxBackoffMs: 200, onError: (e) => errors.push(String(e)) });
    logChanges(r, events);
    const stop = r.start();
    try {
      await r.hasSynced;
      tunnel.freeze();
      await cluster.client.create(CONFIGMAPS, cm('made-while-silent', '1'));
      // Quiet for 300 ms, then a ping that gets no answer in 400 ms: the session is destroyed and the watch fails.
      await waitFor(() => errors.some((e) => /ping/.test(e)), 'the watch to fail on the unanswered ping', 10_000).catch((e: Error) => { throw new Error(`${e.message}; errors: ${errors.join('; ')}`); });
      tunnel.thaw();
      await waitFor(() => events.includes('ADDED made-while-silent 1'), 'the change made while silent, after the watch is open again', 10_000);
    } finally {
      tunnel.thaw();
      stop();
    }
  });

  it('a connection that goes silent is given up even while requests keep going out on it', async () => {
    const errors: string[] = [];
    const r = new Informer<ConfigMap>(client, CONFIGMAPS, { labelSelector: 't=refl', backoffMs: 50, maxBackoffMs: 200, onError: (e) => errors.push(String(e)) });
    const stop = r.start();
    let sending = true;
    const sent: Promise<unknown>[] = [];
    try {
      await r.hasSynced;
      tunnel.freeze();
      // A request every 50 ms (no request timeout: they wait), as an agent's lease and status loops keep writing.
      const sender = (async () => {
        while (sending) {
          sent.push(client.list(SECRETS, { namespace: 'default' }).catch(() => undefined));
          await new Promise((res) => setTimeout(res, 50));
        }
      })();
      await waitFor(() => errors.some((e) => /ping/.test(e)), 'the watch to fail on the unanswered ping', 10_000).catch((e: Error) => { throw new Error(`${e.message}; errors: ${errors.join('; ')}`); });
      sending = false;
      await sender;
      // Every request on the dead connection failed with it rather than waiting for ever.
      await Promise.all(sent);
    } finally {
      sending = false;
      tunnel.thaw();
      stop();
    }
  });
});
