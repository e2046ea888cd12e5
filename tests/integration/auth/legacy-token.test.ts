// Long-lived service-account tokens with real kubectl: a `kubernetes.io/service-account-token` Secret gets a token,
// the cluster CA and the namespace from the token controller; the token authenticates as the account (authorized by
// RBAC, reviewed by TokenReview) while its Secret holds it; deleting the Secret revokes it; a token Secret for a
// missing account is deleted, and so are an account's token Secrets when the account is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: { scheduler: false } });
});
afterAll(async () => {
  await c?.stop();
});

const tokenSecret = (name: string, account: string) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: default
  annotations: {kubernetes.io/service-account.name: ${account}}
type: kubernetes.io/service-account-token
`;

async function secretData(name: string): Promise<Record<string, string>> {
  const out = await c.kubectlOk(['get', 'secret', name, '-o', 'jsonpath={.data}']);
  const data = JSON.parse(out || '{}') as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

const exists = async (kind: string, name: string) => (await c.kubectl(['get', kind, name])).code === 0;

describe('legacy service-account token Secrets', () => {
  it('are filled in by the token controller and authenticate as the account until the Secret goes', async () => {
    await c.kubectlOk(['create', 'serviceaccount', 'ci']);
    await c.kubectlOk(['apply', '-f', '-'], { input: tokenSecret('ci-token', 'ci') });
    const data = await waitFor(async () => { const d = await secretData('ci-token'); return d.token ? d : undefined; }, 'the token filled in', 20_000);
    expect(data['ca.crt']).toBe(c.core.caCertPem);
    expect(data.namespace).toBe('default');
    const uid = await c.kubectlOk(['get', 'serviceaccount', 'ci', '-o', 'jsonpath={.metadata.uid}']);
    expect(await c.kubectlOk(['get', 'secret', 'ci-token', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/service-account\\.uid}'])).toBe(uid);
    const [, payload] = data.token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({
      iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:default:ci',
      'kubernetes.io/serviceaccount/secret.name': 'ci-token', 'kubernetes.io/serviceaccount/service-account.uid': uid,
    });

    const whoami = await c.kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { token: data.token });
    expect(whoami).toBe('system:serviceaccount:default:ci');
    const denied = await c.kubectl(['get', 'pods', '-n', 'default'], { token: data.token });
    expect(denied.stderr).toContain('User "system:serviceaccount:default:ci" cannot list resource "pods" in API group "" in the namespace "default"');
    await c.kubectlOk(['create', 'rolebinding', 'ci-view', '--clusterrole=view', '--serviceaccount=default:ci']);
    await waitFor(async () => (await c.kubectl(['get', 'pods', '-n', 'default'], { token: data.token })).code === 0, 'RBAC to allow it', 10_000);

    const review = JSON.parse(await c.kubectlOk(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: data.token } }),
    })) as { status: { authenticated?: boolean; user?: { username?: string } } };
    expect(review.status).toMatchObject({ authenticated: true, user: { username: 'system:serviceaccount:default:ci' } });

    await c.kubectlOk(['delete', 'secret', 'ci-token']);
    const revoked = await c.kubectl(['get', 'pods', '-n', 'default'], { token: data.token });
    expect(revoked.code).not.toBe(0);
    expect(revoked.stderr).toContain('Unauthorized');
  });

  it('deletes a token Secret whose account does not exist, and an account\'s token Secrets with the account', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: tokenSecret('orphan-token', 'nobody') });
    await waitFor(async () => !(await exists('secret', 'orphan-token')), 'the token Secret of a missing account deleted', 20_000);

    await c.kubectlOk(['create', 'serviceaccount', 'deployer']);
    await c.kubectlOk(['apply', '-f', '-'], { input: tokenSecret('deployer-token', 'deployer') });
    const token = await waitFor(async () => (await secretData('deployer-token')).token, 'the token filled in', 20_000);
    expect((await c.kubectl(['auth', 'whoami'], { token })).code).toBe(0);
    await c.kubectlOk(['delete', 'serviceaccount', 'deployer']);
    await waitFor(async () => !(await exists('secret', 'deployer-token')), 'the account\'s token Secret deleted', 20_000);
    expect((await c.kubectl(['auth', 'whoami'], { token })).code).not.toBe(0);
  });
});
