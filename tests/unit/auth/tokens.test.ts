// Service-account tokens: issued by TokenIssuer, authenticated by ServiceAccountAuthenticator against
// a real registry — refused when expired, for another audience, or once the account or the pod the
// token is bound to is gone (or was recreated with another uid).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TokenIssuer } from '../../../main/apiserver/serviceaccount/issuer';
import { ServiceAccountAuthenticator } from '../../../main/apiserver/serviceaccount/authenticator';
import type { Registry } from '../../../main/apiserver/registry/registry';
import { resourceFor } from '../../../main/api/resources';
import { closeRegistry, openRegistry } from '../registry/fixture';

const SA = resourceFor('', 'v1', 'serviceaccounts')!;
const PODS = resourceFor('', 'v1', 'pods')!;

let dir: string;
let reg: Registry;
let issuer: TokenIssuer;
let now: Date;
let authn: ServiceAccountAuthenticator;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-tokens-'));
  reg = await openRegistry();
  issuer = await TokenIssuer.load(dir);
  now = new Date();
  authn = new ServiceAccountAuthenticator(issuer, reg, () => now);
});
afterEach(() => {
  closeRegistry();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function account(name: string) {
  return (await reg.create(SA, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }, {})).object;
}
async function pod(name: string, sa: string) {
  return (await reg.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { serviceAccountName: sa, containers: [{ name: 'c', image: 'busybox' }] } }, {})).object;
}

describe('service-account tokens', () => {
  it('authenticate as system:serviceaccount:<ns>:<name> with its groups and pod extras', async () => {
    const sa = await account('robot');
    const p = await pod('web', 'robot');
    const { token } = await issuer.issue({ claim: { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid }, pod: { name: 'web', uid: p.metadata.uid } }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600 });
    const id = await authn.authenticateToken(token);
    expect(id?.name).toBe('system:serviceaccount:default:robot');
    expect(id?.uid).toBe(sa.metadata.uid);
    expect(id?.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    expect(id?.extra?.['authentication.kubernetes.io/pod-name']).toEqual(['web']);
    // The key persists: a second load verifies the same token.
    const again = new ServiceAccountAuthenticator(await TokenIssuer.load(dir), reg, () => now);
    expect((await again.authenticateToken(token))?.name).toBe('system:serviceaccount:default:robot');
  });

  it('are refused once expired (with Kubernetes\' minute of leeway), and for another audience', async () => {
    const sa = await account('robot');
    const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const { token } = await issuer.issue({ claim: { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600, now: issuedAt });
    expect(await authn.authenticateToken(token)).toBeDefined();
    expect(await authn.validate(token, ['vault'])).toBeUndefined();
    // A verified token is remembered, but only its signature: the times are checked on every use. exp is 600 s after
    // issue; go-jose's leeway (as kube-apiserver validates) takes it for a minute more.
    const at = (s: number) => { now = new Date(issuedAt.getTime() + s * 1000); };
    at(599);
    expect(await authn.authenticateToken(token)).toBeDefined();
    at(660);
    expect(await authn.authenticateToken(token)).toBeDefined();
    at(661);
    expect(await authn.authenticateToken(token)).toBeUndefined();
    // Before its nbf (a clock behind the issuer's): taken within the minute, refused beyond it.
    at(-60);
    expect(await authn.authenticateToken(token)).toBeDefined();
    at(-61);
    expect(await authn.authenticateToken(token)).toBeUndefined();
    // The same on a first use (not yet remembered): a fresh authenticator over a fresh issuer load.
    const fresh = new ServiceAccountAuthenticator(await TokenIssuer.load(dir), reg, () => now);
    at(-61);
    expect(await fresh.authenticateToken(token)).toBeUndefined();
    at(-59);
    expect(await fresh.authenticateToken(token)).toBeDefined();
    // Another signature over the same claims is not the remembered token.
    const [h, p] = token.split('.');
    expect(await authn.authenticateToken(`${h}.${p}.${'A'.repeat(86)}`)).toBeUndefined();
  });

  it('bound to a pod being deleted, hold until a minute after its deletion timestamp (kube-apiserver\'s leeway)', async () => {
    const sa = await account('robot');
    const p = (await reg.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] } }, {})).object;
    const { token } = await issuer.issue({ claim: { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid }, pod: { name: 'held', uid: p.metadata.uid } }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 });
    await reg.delete(PODS, 'default', 'held', { gracePeriodSeconds: 0 });
    const deleted = reg.tryGet(PODS, 'default', 'held')?.metadata.deletionTimestamp;
    expect(deleted).toBeDefined();
    now = new Date(new Date(deleted!).getTime() + 59_000);
    expect(await authn.authenticateToken(token)).toBeDefined();
    now = new Date(new Date(deleted!).getTime() + 61_000);
    expect(await authn.authenticateToken(token)).toBeUndefined();
  });

  it('are refused when the bound pod is deleted, or the account is deleted and recreated', async () => {
    const sa = await account('robot');
    const p = await pod('web', 'robot');
    const claim = { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } };
    const bound = (await issuer.issue({ claim: { ...claim, pod: { name: 'web', uid: p.metadata.uid } }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600 })).token;
    const plain = (await issuer.issue({ claim, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600 })).token;
    await reg.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0 });
    expect(await authn.authenticateToken(bound)).toBeUndefined();
    expect(await authn.authenticateToken(plain)).toBeDefined();
    await reg.delete(SA, 'default', 'robot', {});
    expect(await authn.authenticateToken(plain)).toBeUndefined();
    await account('robot');
    expect(await authn.authenticateToken(plain)).toBeUndefined();
  });

  it('a foreign or malformed JWT is not a service-account token', async () => {
    expect(await authn.authenticateToken('not-a-jwt')).toBeUndefined();
    const other = await TokenIssuer.load(fs.mkdtempSync(path.join(dir, 'other-')));
    const sa = await account('robot');
    const { token } = await other.issue({ claim: { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } }, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600 });
    expect(await authn.authenticateToken(token)).toBeUndefined();
  });
});
