// Discovery and version paths as Kubernetes serves them: with or without a trailing slash (the
// Python client asks for `/version/`), and /api advertising the address the server really listens on.
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

async function getJson(path: string): Promise<{ code: number; body: Record<string, unknown> }> {
  const r = await c.client.request('GET', path);
  return { code: r.code, body: JSON.parse(r.text) as Record<string, unknown> };
}

/** A GET without credentials (or with the given headers only). */
function anonymousGet(path: string, headers: Record<string, string> = {}): Promise<{ code: number; text: string }> {
  const url = new URL(c.core.api.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: url.hostname, port: url.port, path, ca: c.core.caCertPem, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('discovery paths', () => {
  it('/version and /version/ both answer, without credentials too', async () => {
    for (const path of ['/version', '/version/']) {
      const r = await anonymousGet(path);
      expect(r.code, path).toBe(200);
      expect((JSON.parse(r.text) as { gitVersion: string }).gitVersion).toMatch(/^v1\.32/);
      expect((await getJson(path)).code).toBe(200);
    }
  });

  it('public paths still refuse credentials that are wrong (401), as Kubernetes authenticates first', async () => {
    for (const path of ['/version', '/healthz']) {
      const r = await anonymousGet(path, { Authorization: 'Bearer not-a-token' });
      expect(r.code, path).toBe(401);
      expect(JSON.parse(r.text)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });

  it.each([
    ['/api', 'APIVersions'], ['/api/', 'APIVersions'],
    ['/apis', 'APIGroupList'], ['/apis/', 'APIGroupList'],
    ['/api/v1', 'APIResourceList'], ['/api/v1/', 'APIResourceList'],
    ['/apis/apps', 'APIGroup'], ['/apis/apps/', 'APIGroup'],
    ['/apis/apps/v1', 'APIResourceList'], ['/apis/apps/v1/', 'APIResourceList'],
  ])('%s is the %s', async (path, kind) => {
    const r = await getJson(path);
    expect(r.code).toBe(200);
    expect(r.body.kind).toBe(kind);
  });

  it('/api advertises the address and port the server listens on', async () => {
    const r = await getJson('/api');
    expect(c.core.api.port).not.toBe(6443);
    expect(r.body.serverAddressByClientCIDRs).toEqual([{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${c.core.api.port}` }]);
  });
});
