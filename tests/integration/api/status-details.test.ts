// Every error Status carries `details` exactly as apimachinery's constructors fill them: name, group
// (omitted for core) and kind (the resource; the Kind for Invalid, with causes). A 404 for a path the
// server does not serve has `details: {}`: kubectl debug reads `details.name` of a 404 without a nil
// check and crashed when details were missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../main/client/http';
import type { Status } from '../../../main/api/types';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;
const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'img' }] } });

async function status(method: string, path: string, body?: string, contentType?: string, client = c.client): Promise<Status> {
  const r = await client.request(method, path, body, contentType);
  const s = JSON.parse(r.text) as Status;
  expect(s.kind).toBe('Status');
  expect(s.code).toBe(r.code);
  return s;
}

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  expect((await c.client.request('POST', PODS, pod('p1'))).code).toBe(201);
});
afterAll(async () => {
  await c?.stop();
});

describe('Status details', () => {
  it('a path the server does not serve: 404 with empty details (kubectl debug reads details.name)', async () => {
    for (const [method, path] of [
      ['PATCH', `${PODS}/p1/nosuchsubresource`], ['GET', '/api/v1/nosuchresource'], ['GET', '/apis/nosuch.group/v1'],
      ['GET', '/apis/nosuch.group'], ['GET', '/nosuchpath'], ['GET', '/openapi/v3/apis/nosuch/v1'],
    ] as const) {
      const s = await status(method, path, method === 'PATCH' ? '{}' : undefined, 'application/strategic-merge-patch+json');
      expect(s, `${method} ${path}`).toMatchObject({ reason: 'NotFound', code: 404, message: 'the server could not find the requested resource', details: {} });
    }
  });

  it('NotFound: name and kind (the resource); group omitted for core, set otherwise', async () => {
    expect(await status('GET', `${PODS}/nope`)).toMatchObject({ reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } });
    expect((await status('GET', `${PODS}/nope`)).details).not.toHaveProperty('group');
    expect(await status('GET', `${DEPLOYS}/nope`)).toMatchObject({ message: 'deployments.apps "nope" not found', details: { name: 'nope', group: 'apps', kind: 'deployments' } });
    expect(await status('POST', '/api/v1/namespaces/nons/configmaps', JSON.stringify({ metadata: { name: 'x' } })))
      .toMatchObject({ reason: 'NotFound', message: 'namespaces "nons" not found', details: { name: 'nons', kind: 'namespaces' } });
  });

  it('AlreadyExists and Conflict name the object', async () => {
    expect(await status('POST', PODS, pod('p1'))).toMatchObject({ reason: 'AlreadyExists', code: 409, details: { name: 'p1', kind: 'pods' } });
    const stale = JSON.parse(pod('p1')) as { metadata: Record<string, unknown> };
    stale.metadata.resourceVersion = '1';
    expect(await status('PUT', `${PODS}/p1`, JSON.stringify(stale))).toMatchObject({ reason: 'Conflict', code: 409, details: { name: 'p1', kind: 'pods' } });
  });

  it('Invalid: the Kind, the name and the causes', async () => {
    const s = await status('POST', PODS, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c' }] } }));
    expect(s).toMatchObject({ reason: 'Invalid', code: 422, details: { name: 'bad', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', field: 'spec.containers[0].image' }] } });
    const d = await status('POST', DEPLOYS, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: {} }));
    expect(d.details).toMatchObject({ name: 'bad', group: 'apps', kind: 'Deployment' });
  });

  it('Forbidden names the object and says who cannot do what', async () => {
    const node = new HttpClient({ server: c.core.api.url, token: c.core.auth.nodeToken('n1'), caCertPem: c.core.caCertPem });
    try {
      const s = await status('DELETE', '/api/v1/namespaces/default/configmaps/cm', undefined, undefined, node);
      expect(s).toMatchObject({
        reason: 'Forbidden', code: 403, details: { name: 'cm', kind: 'configmaps' },
        message: 'configmaps "cm" is forbidden: User "system:node:n1" cannot delete resource "configmaps" in API group "" in the namespace "default": can only read resources of this type',
      });
    } finally {
      node.close();
    }
  });

  it('MethodNotAllowed has details; BadRequest has none (as in Kubernetes)', async () => {
    expect(await status('PUT', `${PODS}/p1/binding`, '{}')).toMatchObject({ reason: 'MethodNotAllowed', code: 405, details: {} });
    const bad = await status('POST', PODS, '{not json');
    expect(bad.reason).toBe('BadRequest');
    expect(bad).not.toHaveProperty('details');
  });
});
