// Authenticates service-account tokens as the API server's legacy-and-bound token validator does:
// a valid signature and audience, unexpired, and the service account (and the pod or secret the token
// is bound to) still there with the uid the token names and not being deleted. A legacy token (a
// `kubernetes.io/service-account-token` Secret's) holds while that Secret, not being deleted, still holds
// it and its service account is there with the uid it names. The user is
// system:serviceaccount:<ns>:<name> in system:serviceaccounts and system:serviceaccounts:<ns>.
import { resourceFor } from '../../api/resources';
import type { StoredObject } from '../../api/types';
import type { Registry } from '../registry/registry';
import type { Identity, TokenValidator } from '../auth';
import { AUTHENTICATED } from '../auth';
import type { KubernetesClaim, LegacyTokenRef, ObjectRef, TokenClaims, TokenIssuer } from './issuer';
import { API_AUDIENCES, LEGACY_ISSUER, TOKEN_LEEWAY_S } from './issuer';

const SERVICE_ACCOUNTS = resourceFor('', 'v1', 'serviceaccounts')!;
const PODS = resourceFor('', 'v1', 'pods')!;
const SECRETS = resourceFor('', 'v1', 'secrets')!;

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

/** Parses system:serviceaccount:<ns>:<name>. */
export function parseServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return m ? { namespace: m[1], name: m[2] } : undefined;
}

type Reader = Pick<Registry, 'tryGet'>;

/** The object named by a claim, if it still exists with that uid and is not past its deletion time. */
function live(registry: Reader, r: typeof PODS, namespace: string, ref: ObjectRef, now: Date): StoredObject | undefined {
  const obj = registry.tryGet(r, namespace, ref.name);
  if (!obj || obj.metadata.uid !== ref.uid) return undefined;
  const del = obj.metadata.deletionTimestamp;
  // As Kubernetes: deleted more than the leeway before now (a pod in its grace period, and a minute after, still holds).
  if (del && new Date(del).getTime() < now.getTime() - TOKEN_LEEWAY_S * 1000) return undefined;
  return obj;
}

/** Why the claims no longer hold (the service account or bound object is gone), or undefined if they do. */
export function staleClaim(registry: Reader, k: KubernetesClaim, now = new Date()): string | undefined {
  const sa = registry.tryGet(SERVICE_ACCOUNTS, k.namespace, k.serviceaccount.name);
  if (!sa) return `serviceaccounts "${k.serviceaccount.name}" not found`;
  if (sa.metadata.uid !== k.serviceaccount.uid) return `service account UID (${k.serviceaccount.uid}) does not match claim (${sa.metadata.uid})`;
  if (sa.metadata.deletionTimestamp) return `service account ${k.namespace}/${k.serviceaccount.name} has been deleted`;
  if (k.pod && !live(registry, PODS, k.namespace, k.pod, now)) return `pod ${k.namespace}/${k.pod.name} is gone or has another uid`;
  if (k.secret && !live(registry, SECRETS, k.namespace, k.secret, now)) return `secret ${k.namespace}/${k.secret.name} is gone or has another uid`;
  return undefined;
}

/**
 * The claims of a legacy token that still holds (legacy.go's validator: its Secret, not being deleted, holds this very
 * token, and the service account is there with the uid it names), as the rest of authentication reads them (no jti,
 * every API audience); undefined when it no longer holds.
 */
function liveLegacy(registry: Reader, token: string, ref: LegacyTokenRef): TokenClaims | undefined {
  const secret = registry.tryGet(SECRETS, ref.namespace, ref.secretName);
  if (!secret || secret.metadata.deletionTimestamp) return undefined;
  const held = (secret.data as Record<string, string> | undefined)?.token;
  if (!held || Buffer.from(held, 'base64').toString('utf8') !== token) return undefined;
  const sa = registry.tryGet(SERVICE_ACCOUNTS, ref.namespace, ref.serviceAccountName);
  if (!sa || sa.metadata.deletionTimestamp || sa.metadata.uid !== ref.serviceAccountUid) return undefined;
  return {
    iss: LEGACY_ISSUER, sub: serviceAccountUser(ref.namespace, ref.serviceAccountName), aud: [...API_AUDIENCES],
    'kubernetes.io': {
      namespace: ref.namespace, serviceaccount: { name: ref.serviceAccountName, uid: ref.serviceAccountUid }, secret: { name: ref.secretName, uid: secret.metadata.uid ?? '' },
    },
  };
}

export function identityOf(claims: TokenClaims): Identity {
  const k = claims['kubernetes.io'];
  const extra: Record<string, string[]> = {};
  if (k.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
  }
  if (k.node) {
    extra['authentication.kubernetes.io/node-name'] = [k.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
  }
  if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  return {
    name: serviceAccountUser(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: [...serviceAccountGroups(k.namespace), AUTHENTICATED],
    extra,
  };
}

export class ServiceAccountAuthenticator implements TokenValidator {
  constructor(private readonly issuer: TokenIssuer, private readonly registry: Reader, private readonly now: () => Date = () => new Date()) {}

  /** The claims of a token for `audiences` that still holds, or undefined. */
  async validate(token: string, audiences?: readonly string[]): Promise<TokenClaims | undefined> {
    const now = this.now();
    const claims = await this.issuer.verify(token, audiences, now);
    if (claims) return staleClaim(this.registry, claims['kubernetes.io'], now) ? undefined : claims;
    // A legacy token has no audience: it is good for the API server's own.
    if (audiences && !audiences.some((a) => API_AUDIENCES.includes(a))) return undefined;
    const legacy = await this.issuer.verifyLegacy(token);
    return legacy && liveLegacy(this.registry, token, legacy);
  }

  async authenticateToken(token: string): Promise<Identity | undefined> {
    const claims = await this.validate(token);
    return claims ? identityOf(claims) : undefined;
  }
}
