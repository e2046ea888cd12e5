// Service-account tokens: JWTs signed with the cluster's service-account key (<pki>/sa.key, made on
// first start), with Kubernetes' claims (iss, sub, aud, exp, iat, nbf, jti and the kubernetes.io
// private claim naming the namespace, the service account and the object the token is bound to).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { Lru } from '../../protocol/lru';

/** kube-apiserver's --service-account-issuer as kubeadm sets it; also the API's audience. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES: readonly string[] = [ISSUER];
const ALG = 'ES256';

export interface ObjectRef { name: string; uid: string }

/** The kubernetes.io claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Of an extended token: when a client should have refreshed it (the requested expiry). */
  warnafter?: number;
}

export interface TokenClaims extends JWTPayload {
  'kubernetes.io': KubernetesClaim;
}

/** The issuer of the long-lived tokens the token controller puts in `kubernetes.io/service-account-token` Secrets. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

/** What a legacy token names (its private claims, `kubernetes.io/serviceaccount/...`). */
export interface LegacyTokenRef {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUid: string;
}

const LEGACY_CLAIMS = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  serviceAccountName: 'kubernetes.io/serviceaccount/service-account.name',
  serviceAccountUid: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

export interface IssueRequest {
  claim: KubernetesClaim;
  audiences: readonly string[];
  /** Seconds from now. */
  expirationSeconds: number;
  now?: Date;
}

/**
 * Kubernetes checks a service-account token's times with go-jose's default leeway (jwt.DefaultLeeway): one minute
 * either way, so a token is taken up to a minute before its nbf/iat and after its exp, and a bound object deleted less
 * than a minute ago still holds.
 */
export const TOKEN_LEEWAY_S = 60;

/** exp, nbf and iat as go-jose's Claims.Validate checks them at `now`, with the leeway. */
function withinTimes(claims: Pick<TokenClaims, 'exp' | 'nbf' | 'iat'>, now: Date): boolean {
  const t = now.getTime() / 1000;
  if (typeof claims.nbf === 'number' && t + TOKEN_LEEWAY_S < claims.nbf) return false;
  if (typeof claims.iat === 'number' && t + TOKEN_LEEWAY_S < claims.iat) return false;
  return !(typeof claims.exp === 'number' && t - TOKEN_LEEWAY_S > claims.exp);
}

export class TokenIssuer {
  /** Tokens whose signature, issuer and audience verified, by audiences and token. */
  private readonly verified = new Lru<string, TokenClaims>(4096);
  /** Legacy tokens whose signature verified, by token. */
  private readonly verifiedLegacy = new Lru<string, LegacyTokenRef>(1024);

  private constructor(
    private readonly privateKey: CryptoKey, private readonly publicKey: CryptoKey, private readonly kid: string, private readonly publicJwk: JWK,
  ) {}

  /** The signing algorithm of every token this issuer signs. */
  readonly algorithm = ALG;

  /** The public key as the issuer's JWKS lists it (go-jose's JSONWebKey: use, kty, kid, crv, alg, x, y). */
  verificationKey(): JWK {
    const { kty, crv, x, y } = this.publicJwk;
    return { use: 'sig', kty, kid: this.kid, crv, alg: ALG, x, y };
  }

  /** Loads <dir>/sa.key, making it on first use. */
  static async load(dir: string): Promise<TokenIssuer> {
    const file = path.join(dir, 'sa.key');
    let privateKey: CryptoKey;
    if (fs.existsSync(file)) {
      privateKey = await importPKCS8(fs.readFileSync(file, 'utf8'), ALG, { extractable: true });
    } else {
      const pair = await generateKeyPair(ALG, { extractable: true });
      privateKey = pair.privateKey;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, await exportPKCS8(privateKey), { mode: 0o600 });
    }
    const jwk = await exportJWK(privateKey);
    delete jwk.d;
    const publicKey = (await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']));
    return new TokenIssuer(privateKey, publicKey, await calculateJwkThumbprint(jwk), jwk);
  }

  /** A signed token and when it expires. */
  async issue(req: IssueRequest): Promise<{ token: string; expiresAt: Date }> {
    const now = req.now ?? new Date();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + req.expirationSeconds;
    const sub = `system:serviceaccount:${req.claim.namespace}:${req.claim.serviceaccount.name}`;
    const token = await new SignJWT({ 'kubernetes.io': req.claim })
      .setProtectedHeader({ alg: ALG, kid: this.kid })
      .setIssuer(ISSUER).setSubject(sub).setAudience([...req.audiences])
      .setIssuedAt(iat).setNotBefore(iat).setExpirationTime(exp).setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The claims of a token this issuer signed for one of `audiences`, unexpired at `now`; undefined
   * for anything else (another issuer's JWT, a bad signature, an expired token).
   */
  async verify(token: string, audiences: readonly string[] = API_AUDIENCES, now?: Date): Promise<TokenClaims | undefined> {
    if (token.split('.').length !== 3) return undefined;
    // A token's signature never changes: one that verified is checked again only for its times.
    const cacheKey = `${audiences.join(' ')}\n${token}`;
    const hit = this.verified.get(cacheKey);
    if (hit) return withinTimes(hit, now ?? new Date()) ? hit : undefined;
    try {
      // jose's own time checks with the leeway (and a little more: its boundaries are whole seconds), then go-jose's.
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: ISSUER, audience: [...audiences], algorithms: [ALG], currentDate: now, clockTolerance: TOKEN_LEEWAY_S + 1,
      });
      if (!withinTimes(payload, now ?? new Date())) return undefined;
      const k = (payload as Partial<TokenClaims>)['kubernetes.io'];
      if (!k || typeof k.namespace !== 'string' || typeof k.serviceaccount?.name !== 'string') return undefined;
      this.verified.set(cacheKey, payload as TokenClaims);
      return payload as TokenClaims;
    } catch {
      return undefined;
    }
  }

  /**
   * A legacy token (serviceaccount.LegacyClaims): issuer `kubernetes/serviceaccount`, no audience, no expiry; it holds
   * while its Secret holds it and the service account is there (ServiceAccountAuthenticator checks both).
   */
  async issueLegacy(ref: LegacyTokenRef): Promise<string> {
    const claims = Object.fromEntries(Object.entries(LEGACY_CLAIMS).map(([k, claim]) => [claim, ref[k as keyof LegacyTokenRef]]));
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.kid })
      .setIssuer(LEGACY_ISSUER).setSubject(`system:serviceaccount:${ref.namespace}:${ref.serviceAccountName}`)
      .sign(this.privateKey);
  }

  /** What a legacy token this issuer signed names; undefined for anything else. */
  async verifyLegacy(token: string): Promise<LegacyTokenRef | undefined> {
    if (token.split('.').length !== 3) return undefined;
    const hit = this.verifiedLegacy.get(token);
    if (hit) return hit;
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer: LEGACY_ISSUER, algorithms: [ALG] });
      const ref: Partial<LegacyTokenRef> = {};
      for (const [k, claim] of Object.entries(LEGACY_CLAIMS)) {
        const v = payload[claim];
        if (typeof v !== 'string' || !v) return undefined;
        ref[k as keyof LegacyTokenRef] = v;
      }
      this.verifiedLegacy.set(token, ref as LegacyTokenRef);
      return ref as LegacyTokenRef;
    } catch {
      return undefined;
    }
  }
}
