// The API server speaks HTTP/2 and HTTP/1.1 on one port, chosen by ALPN: real kubectl negotiates h2 (as
// client-go does), many watches share one HTTP/2 connection, and HTTP/1.1 clients are served as before.
import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster, waitFor } from '../../helpers/cluster';

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

let c: TestCluster;
beforeAll(async () => { c = await startTestCluster(); }, 60_000);
afterAll(async () => { await c?.stop(); });

/** Protocols negotiated on the API server's connections since `start()`. */
function recordProtocols(): { protocols: string[]; stop: () => void } {
  const protocols: string[] = [];
  const on = (s: TLSSocket) => protocols.push(s.alpnProtocol || 'none');
  c.core.api.server.on('secureConnection', on);
  return { protocols, stop: () => c.core.api.server.off('secureConnection', on) };
}

function h2get(session: http2.ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path, authorization: `Bearer ${c.core.auth.adminToken}` });
    let body = '';
    let status = 0;
    req.on('response', (h) => { status = Number(h[':status']); });
    req.setEncoding('utf8');
    req.on('data', (d: string) => { body += d; });
    req.on('end', () => resolve({ status, body }));
    req.on('error', reject);
  });
}

describe('HTTP/2 on the API server', () => {
  it('is what kubectl negotiates', async () => {
    const rec = recordProtocols();
    try {
      await c.kubectl(['get', 'namespaces']);
    } finally { rec.stop(); }
    expect(rec.protocols.length).toBeGreaterThan(0);
    expect(new Set(rec.protocols)).toEqual(new Set(['h2']));
  });

  it('serves lists, errors with their Status and many watches over one connection', async () => {
    const session = http2.connect(c.core.api.url, { ca: c.core.caCertPem });
    try {
      const list = await h2get(session, '/api/v1/namespaces');
      expect(list.status).toBe(200);
      expect((JSON.parse(list.body) as { kind: string }).kind).toBe('NamespaceList');
      const missing = await h2get(session, '/api/v1/namespaces/default/configmaps/nope');
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' } });
      // 20 watches on the one session, each receiving the create.
      const seen = new Array<string>(20).fill('');
      const watches = seen.map((_, i) => {
        const req = session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dh2', authorization: `Bearer ${c.core.auth.adminToken}` });
        req.setEncoding('utf8');
        req.on('data', (d: string) => { seen[i] += d; });
        return req;
      });
      await c.client.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'h2', namespace: 'default' }, data: { a: 'b' } });
      await waitFor(() => seen.every((s) => s.includes('"ADDED"')), 'every watch to see the ADDED event', 10_000);
      for (const w of watches) w.close();
    } finally {
      session.close();
    }
  });

  it('still serves HTTP/1.1 clients', async () => {
    const rec = recordProtocols();
    try {
      const got = await c.client.request('GET', '/api/v1/namespaces/default');
      expect(got.code).toBe(200);
      expect((JSON.parse(got.text) as { metadata: { name: string } }).metadata.name).toBe('default');
    } finally { rec.stop(); }
    expect(rec.protocols.every((p) => p === 'http/1.1' || p === 'none')).toBe(true);
  });
});
