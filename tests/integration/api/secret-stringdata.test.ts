// Secret stringData, as Kubernetes' conversion treats it on every write: merged into data (base64 of
// its UTF-8), winning over data for the same key, and never stored — on create, update, the patch
// kinds and server-side apply alike; so `kubectl get secrets` counts the keys in DATA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import type { Secret, Status } from '../../../main/api/types';

let c: TestCluster;
const SECRETS = '/api/v1/namespaces/default/secrets';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

async function send(method: string, path: string, body: object, contentType = 'application/json'): Promise<Secret> {
  const r = await c.client.request(method, path, JSON.stringify(body), contentType);
  expect(r.code, r.text).toBeLessThan(300);
  return JSON.parse(r.text) as Secret;
}

async function stored(name: string): Promise<Secret> {
  const r = await c.client.request('GET', `${SECRETS}/${name}`);
  expect(r.code).toBe(200);
  return JSON.parse(r.text) as Secret;
}

/** The answer and the stored object both have exactly `data` and no stringData. */
async function expectData(answer: Secret, data: Record<string, string>): Promise<void> {
  for (const s of [answer, await stored(answer.metadata!.name!)]) {
    expect(s.data).toEqual(data);
    expect(s).not.toHaveProperty('stringData');
  }
}

describe('Secret stringData', () => {
  it('create: merged into data as base64, stringData winning over data for a key', async () => {
    const s = await send('POST', SECRETS, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'created' },
      data: { keep: b64('kept'), both: b64('from data') }, stringData: { both: 'from stringData', utf8: 'zürich ✓' },
    });
    await expectData(s, { keep: b64('kept'), both: b64('from stringData'), utf8: b64('zürich ✓') });
  });

  it('update (PUT): merged into the data sent', async () => {
    const cur = await stored('created');
    const s = await send('PUT', `${SECRETS}/created`, { ...cur, data: { keep: b64('kept') }, stringData: { put: 'p' } });
    await expectData(s, { keep: b64('kept'), put: b64('p') });
  });

  it('merge, strategic and JSON patches: merged into the stored data', async () => {
    let s = await send('PATCH', `${SECRETS}/created`, { stringData: { merge: 'm' } }, 'application/merge-patch+json');
    await expectData(s, { keep: b64('kept'), put: b64('p'), merge: b64('m') });
    s = await send('PATCH', `${SECRETS}/created`, { stringData: { keep: 'replaced' } }, 'application/strategic-merge-patch+json');
    await expectData(s, { keep: b64('replaced'), put: b64('p'), merge: b64('m') });
    s = await send('PATCH', `${SECRETS}/created`, [{ op: 'add', path: '/stringData', value: { json: 'j' } }], 'application/json-patch+json');
    await expectData(s, { keep: b64('replaced'), put: b64('p'), merge: b64('m'), json: b64('j') });
  });

  it('server-side apply: creating and updating', async () => {
    const apply = (stringData: Record<string, string>) => send('PATCH', `${SECRETS}/applied?fieldManager=test`,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'applied' }, stringData }, 'application/apply-patch+yaml');
    await expectData(await apply({ a: '1' }), { a: b64('1') });
    await expectData(await apply({ a: '2', b: '3' }), { a: b64('2'), b: b64('3') });
  });

  it('stringData keys are validated as data keys', async () => {
    const r = await c.client.request('POST', SECRETS, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'badkey' }, stringData: { 'bad key': 'x' } }));
    expect(r.code).toBe(422);
    expect((JSON.parse(r.text) as Status).details?.causes?.[0]?.field).toBe('data[bad key]');
  });

  it('kubectl: apply of a manifest with stringData, then get counts its keys in DATA', async () => {
    const manifest = 'apiVersion: v1\nkind: Secret\nmetadata: {name: from-kubectl}\nstringData: {user: admin, password: s3cret}\n';
    const applied = await c.kubectl(['apply', '-f', '-'], { input: manifest });
    expect(applied.code, applied.stderr).toBe(0);
    const got = await c.kubectl(['get', 'secret', 'from-kubectl']);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE$/);
    expect(got.stdout).toMatch(/from-kubectl\s+Opaque\s+2\s+/);
    const obj = JSON.parse((await c.kubectl(['get', 'secret', 'from-kubectl', '-o', 'json'])).stdout) as Secret;
    expect(obj.data).toEqual({ user: b64('admin'), password: b64('s3cret') });
    expect(obj).not.toHaveProperty('stringData');
  });
});
