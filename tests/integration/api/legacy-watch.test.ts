// The deprecated watch paths Kubernetes still serves (/api/v1/watch/…, /apis/G/V/watch/…): a watch
// whatever the query says, across namespaces or in one, and of one object when the path names it
// (a metadata.name field selector, which a given field selector must agree with).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { rawWatch } from '../../helpers/raw-watch';
import type { Status } from '../../../main/api/types';

let c: TestCluster;

async function create(path: string, obj: object): Promise<void> {
  const r = await c.client.request('POST', path, JSON.stringify(obj));
  expect(r.code, r.text).toBe(201);
}

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const deploy = (name: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'docker.io/flotilla/hello:1' }] } } },
});

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  await create('/api/v1/namespaces/default/configmaps', cm('one'));
  await create('/api/v1/namespaces/default/configmaps', cm('two'));
  await create('/api/v1/namespaces/other/configmaps', cm('one'));
  await create('/apis/apps/v1/namespaces/default/deployments', deploy('web'));
});
afterAll(async () => {
  await c?.stop();
});

/** Watches `path` until the initial ADDED events for `expected` (namespace/name) arrived, then ends it. */
async function initialNames(path: string, expected: string[]): Promise<string[]> {
  const w = rawWatch(c, path);
  try {
    const res = await w.response;
    expect(res.code).toBe(200);
    await waitFor(() => w.events.length >= expected.length, `${expected.length} events from ${path}`);
    expect(w.events.every((e) => e.type === 'ADDED')).toBe(true);
    return w.events.map((e) => `${(e.object.metadata as { namespace?: string }).namespace ?? ''}/${e.object.metadata?.name ?? ''}`).sort();
  } finally {
    w.close();
  }
}

describe('legacy watch paths', () => {
  it('a collection in every namespace, in one namespace, and in a group', async () => {
    expect(await initialNames('/api/v1/watch/configmaps', ['default/one', 'default/two', 'other/one'])).toEqual(['default/one', 'default/two', 'other/one']);
    expect(await initialNames('/api/v1/watch/namespaces/default/configmaps', ['default/one', 'default/two'])).toEqual(['default/one', 'default/two']);
    expect(await initialNames('/apis/apps/v1/watch/namespaces/default/deployments', ['default/web'])).toEqual(['default/web']);
    expect(await initialNames('/apis/apps/v1/watch/deployments', ['default/web'])).toEqual(['default/web']);
  });

  it('one object named in the path, then its changes only', async () => {
    const w = rawWatch(c, '/api/v1/watch/namespaces/default/configmaps/two');
    try {
      expect((await w.response).code).toBe(200);
      await waitFor(() => w.events.length >= 1, 'the ADDED event of the named object');
      const patch = (name: string) => c.client.request('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, '{"data":{"x":"y"}}', 'application/merge-patch+json');
      expect((await patch('one')).code).toBe(200);
      expect((await patch('two')).code).toBe(200);
      await waitFor(() => w.events.length >= 2, 'the MODIFIED event of the named object');
      expect(w.events.map((e) => [e.type, e.object.metadata?.name])).toEqual([['ADDED', 'two'], ['MODIFIED', 'two']]);
    } finally {
      w.close();
    }
  });

  it('a cluster-scoped object named in the path', async () => {
    expect(await initialNames('/api/v1/watch/namespaces/other', ['/other'])).toEqual(['/other']);
  });

  it('a field selector must agree with the name in the path', async () => {
    expect(await initialNames('/api/v1/watch/namespaces/default/configmaps/one?fieldSelector=metadata.name%3Done', ['default/one'])).toEqual(['default/one']);
    const r = await c.client.request('GET', '/api/v1/watch/namespaces/default/configmaps/one?fieldSelector=metadata.name%3Dtwo');
    expect(r.code).toBe(400);
    expect((JSON.parse(r.text) as Status).message).toBe("fieldSelector metadata.name doesn't match requested name");
  });

  it('only GET is served there, and no subresources', async () => {
    expect((await c.client.request('DELETE', '/api/v1/watch/namespaces/default/configmaps/one')).code).toBe(405);
    expect((await c.client.request('GET', '/apis/apps/v1/watch/namespaces/default/deployments/web/status')).code).toBe(404);
    expect((await c.client.request('GET', '/api/v1/watch/nothings')).code).toBe(404);
  });
});
