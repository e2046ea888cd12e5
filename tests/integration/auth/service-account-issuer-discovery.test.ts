// Service account issuer discovery: /.well-known/openid-configuration and /openid/v1/jwks as kube-apiserver serves them,
// read by real kubectl and by a real relying party (PyJWT, Debian's python3-jwt) that verifies service-account tokens
// against the published key, as Vault's JWT auth does: the right token verifies, one for another audience or signed by
// another key does not. Every service account may read them (system:service-account-issuer-discovery); others may not.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { pythonFixture, runPython } from '../../helpers/python';

let c: TestCluster;
let home: string;
let caFile: string;
let robotToken: string;

beforeAll(async () => {
  c = await startTestCluster();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-oidc-'));
  caFile = path.join(home, 'ca.crt');
  fs.writeFileSync(caFile, c.core.caCertPem);
  await c.kubectlOk(['create', 'serviceaccount', 'robot']);
  robotToken = (await c.kubectlOk(['create', 'token', 'robot'])).trim();
}, 60_000);

afterAll(async () => {
  await c?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

interface Verified {
  metadata: Record<string, unknown>;
  jwksContentType: string;
  cacheControl: string;
  claims: { iss: string; sub: string; aud: string[] };
}

/** The relying party, reading the documents with the robot's token, verifying `token` for `audience`. */
async function relyingParty(token: string, audience: string): Promise<{ code: number; out: string }> {
  const r = await runPython([pythonFixture('oidc_verify.py'), c.core.api.url, caFile, robotToken, token, audience], home);
  if (r.code !== 0 && !r.stdout.startsWith('rejected:')) throw new Error(`oidc_verify.py failed: ${r.stderr}`);
  return { code: r.code, out: r.stdout.trim() };
}

describe('service account issuer discovery', () => {
  it('serves the discovery document and the key set, as kube-apiserver writes them', async () => {
    const metadata = JSON.parse(await c.kubectlOk(['get', '--raw', '/.well-known/openid-configuration'])) as Record<string, unknown>;
    expect(metadata).toEqual({
      issuer: 'https://kubernetes.default.svc.cluster.local',
      jwks_uri: 'https://kubernetes.default.svc.cluster.local/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    const jwks = JSON.parse(await c.kubectlOk(['get', '--raw', '/openid/v1/jwks'])) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0])).toEqual(['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
    expect(jwks.keys[0]).toMatchObject({ use: 'sig', kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    // The key id is the one the tokens carry.
    const header = JSON.parse(Buffer.from(robotToken.split('.')[0], 'base64url').toString()) as { kid: string };
    expect(jwks.keys[0].kid).toBe(header.kid);
  });

  it('lets a relying party verify service-account tokens with the published key, and refuse others', async () => {
    const ok = await relyingParty(robotToken, 'https://kubernetes.default.svc.cluster.local');
    expect(ok.code, ok.out).toBe(0);
    const verified = JSON.parse(ok.out) as Verified;
    expect(verified.claims.sub).toBe('system:serviceaccount:default:robot');
    expect(verified.jwksContentType).toBe('application/jwk-set+json');
    expect(verified.cacheControl).toBe('public, max-age=3600');
    // A token for a relying party's own audience, as a pod's projected token for Vault is.
    const vaultToken = (await c.kubectlOk(['create', 'token', 'robot', '--audience', 'vault'])).trim();
    expect((await relyingParty(vaultToken, 'vault')).code).toBe(0);
    const elsewhere = await relyingParty(vaultToken, 'https://kubernetes.default.svc.cluster.local');
    expect(elsewhere).toEqual({ code: 1, out: 'rejected: InvalidAudienceError: Invalid audience' });
    // Signed by another key under the published key id: the signature does not verify.
    const { privateKey } = await generateKeyPair('ES256');
    const kid = (JSON.parse(Buffer.from(robotToken.split('.')[0], 'base64url').toString()) as { kid: string }).kid;
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setIssuer('https://kubernetes.default.svc.cluster.local')
      .setSubject('system:serviceaccount:kube-system:admin').setAudience('vault').setIssuedAt().setExpirationTime('10m').sign(privateKey);
    expect(await relyingParty(forged, 'vault')).toEqual({ code: 1, out: 'rejected: InvalidSignatureError: Signature verification failed' });
  });

  it('is for service accounts (and admins): another user is forbidden, in RBAC\'s words', async () => {
    const r = await c.kubectl(['get', '--raw', '/openid/v1/jwks', '--as', 'alice']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): forbidden: User "alice" cannot get path "/openid/v1/jwks"');
    const binding = JSON.parse(await c.kubectlOk(['get', 'clusterrolebinding', 'system:service-account-issuer-discovery', '-o', 'json'])) as { subjects: unknown[] };
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts' }]);
  });
});
