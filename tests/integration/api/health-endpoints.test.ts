// /healthz, /livez and /readyz as kube-apiserver answers them, read by real kubectl (`kubectl get --raw`) and anonymous
// HTTPS: "ok", the verbose list of checks, ?exclude, and one check at /readyz/<check>.
import * as https from 'node:https';
import { describe, expect, it } from 'vitest';
import { testClusterAll } from '../../helpers/cluster';

const c = testClusterAll({ controllers: false });

function anonymousGet(path: string): Promise<{ code: number; text: string; type: string }> {
  const url = new URL(c.core.api.url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: url.hostname, port: url.port, path, ca: c.core.caCertPem, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, text, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('health endpoints', () => {
  it('answer "ok" to anyone, as text', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await anonymousGet(p);
      expect([r.code, r.text, r.type], p).toEqual([200, 'ok', 'text/plain; charset=utf-8']);
    }
  });

  it('?verbose lists every check and says the endpoint passed (kubectl get --raw)', async () => {
    const ready = await c.kubectlOk(['get', '--raw', '/readyz?verbose']);
    expect(ready.split('\n')).toEqual(expect.arrayContaining(['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]informer-sync ok', '[+]shutdown ok']));
    expect(ready.endsWith('readyz check passed\n')).toBe(true);
    expect(ready.split('\n').filter((l) => l.startsWith('[')).every((l) => /^\[\+\][\w/-]+ ok$/.test(l))).toBe(true);
    const live = await c.kubectlOk(['get', '--raw', '/livez?verbose']);
    expect(live).toContain('[+]etcd ok\n');
    expect(live).not.toContain('shutdown');
    expect(live.endsWith('livez check passed\n')).toBe(true);
    expect((await anonymousGet('/healthz?verbose')).text.endsWith('healthz check passed\n')).toBe(true);
  });

  it('?exclude skips a check, and warns of names that match none', async () => {
    const r = await anonymousGet('/readyz?verbose&exclude=etcd&exclude=nope&exclude=also-not');
    expect(r.code).toBe(200);
    expect(r.text).toContain('[+]etcd excluded: ok\n');
    expect(r.text).toContain('[+]etcd-readiness ok\n');
    expect(r.text).toContain('warn: some health checks cannot be excluded: no matches for "also-not","nope"\n');
  });

  it('one check at /readyz/<check> and /livez/<check>; an unknown one is 404', async () => {
    expect(await c.kubectlOk(['get', '--raw', '/readyz/etcd'])).toBe('ok');
    expect(await c.kubectlOk(['get', '--raw', '/livez/ping'])).toBe('ok');
    expect(await c.kubectlOk(['get', '--raw', '/healthz/poststarthook/rbac/bootstrap-roles'])).toBe('ok');
    const missing = await c.kubectl(['get', '--raw', '/readyz/nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NotFound');
  });
});
