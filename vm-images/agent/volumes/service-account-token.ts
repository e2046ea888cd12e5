// Service account tokens for projected volumes, as the kubelet's token manager: requested with the
// TokenRequest API (bound to the pod), cached, and refreshed once 80% of their lifetime has passed or
// they are older than 24 hours.
export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds: number;
  boundObjectRef: { apiVersion: 'v1'; kind: 'Pod'; name: string; uid: string };
}
export interface IssuedToken { token: string; expirationTimestamp: string }
/** POST serviceaccounts/<name>/token in the namespace. */
export type TokenRequester = (namespace: string, serviceAccount: string, spec: TokenRequestSpec) => Promise<IssuedToken>;

const MAX_TTL_MS = 24 * 3600_000;

interface Cached { token: string; issuedAt: number; expiresAt: number; podUid: string }

export class TokenManager {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly request: TokenRequester, private readonly now: () => number = Date.now) {}

  async get(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<string> {
    const key = JSON.stringify([namespace, serviceAccount, spec.audiences ?? [], spec.expirationSeconds, spec.boundObjectRef.uid]);
    const cached = this.cache.get(key);
    if (cached && !this.requiresRefresh(cached)) return cached.token;
    const issued = await this.request(namespace, serviceAccount, spec);
    const expiresAt = Date.parse(issued.expirationTimestamp);
    this.cache.set(key, { token: issued.token, expiresAt, issuedAt: expiresAt - spec.expirationSeconds * 1000, podUid: spec.boundObjectRef.uid });
    return issued.token;
  }

  forgetPod(podUid: string): void {
    for (const [k, c] of this.cache) if (c.podUid === podUid) this.cache.delete(k);
  }

  private refreshAt(c: Cached): number {
    return Math.min(c.issuedAt + 0.8 * (c.expiresAt - c.issuedAt), c.issuedAt + MAX_TTL_MS);
  }

  private requiresRefresh(c: Cached): boolean {
    return this.now() >= this.refreshAt(c);
  }
}
