// The kubelet's authentication and authorization on its secure port (pkg/kubelet/server/auth.go with kubeadm's
// KubeletConfiguration: anonymous off, x509 client certificates of the cluster CA, webhook token authentication and
// webhook authorization). A client certificate the cluster CA signed is the user in its CN with its O groups; a bearer
// token is sent to the API server as a TokenReview; the request's attributes (kubelet-attributes.ts) as a
// SubjectAccessReview. Answers are cached as the kubelet's defaults: tokens 2 minutes, allowed 5 minutes, denied 30 s.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KubeletRequestAttributes } from './kubelet-attributes';
import { Lru } from '../../../main/protocol/lru';

/** An authenticated user as the API server's reviews name it. */
export interface KubeletUser {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What the reviews are posted through: the agent's API client. */
export interface ReviewPoster {
  request(method: string, path: string, body?: string): Promise<{ code: number; text: string }>;
}

export interface KubeletAuthOptions {
  api: ReviewPoster;
  now?: () => number;
  /** Cache lifetimes, ms: the kubelet's authentication.webhook.cacheTTL and authorization.webhook.cacheAuthorizedTTL/cacheUnauthorizedTTL. */
  tokenTtlMs?: number;
  allowedTtlMs?: number;
  deniedTtlMs?: number;
}

const AUTHENTICATED = 'system:authenticated';
/** Entries each cache holds at most: a scraper's few tokens fit many times over. */
const CACHE_MAX = 1024;

/** Answers kept until they expire, the least recently used dropped beyond CACHE_MAX. */
class TtlCache<V> {
  private readonly entries = new Lru<string, { value: V; until: number }>(CACHE_MAX);

  constructor(private readonly now: () => number) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    return e && e.until > this.now() ? e.value : undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.set(key, { value, until: this.now() + ttlMs });
  }
}

interface ReviewedUser { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }
interface TokenReviewStatus { authenticated?: boolean; user?: ReviewedUser; error?: string }
interface AccessReviewStatus { allowed?: boolean }

function parsed<T>(res: { code: number; text: string }, what: string): T {
  let body: { status?: T; message?: string } = {};
  try { body = JSON.parse(res.text) as typeof body; } catch { /* reported below */ }
  if (res.code >= 300 || !body.status) throw new Error(`${what} failed: ${body.message ?? `${res.code} ${res.text.slice(0, 200)}`}`);
  return body.status;
}

/** The user of a client certificate the TLS layer verified against the cluster CA (CN the name, O the groups). */
export function certificateUser(req: IncomingMessage): KubeletUser | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return undefined;
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[] | undefined> | undefined;
  const cn = subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = subject?.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
  return { name, groups: [...groups, AUTHENTICATED] };
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export class KubeletAuth {
  private readonly now: () => number;
  private readonly tokens: TtlCache<KubeletUser | null>;
  private readonly decisions: TtlCache<boolean>;

  constructor(private readonly o: KubeletAuthOptions) {
    this.now = o.now ?? Date.now;
    this.tokens = new TtlCache(this.now);
    this.decisions = new TtlCache(this.now);
  }

  /** The request's user, or undefined (401). A TokenReview that cannot be made throws (also 401, as the kubelet). */
  async authenticate(req: IncomingMessage): Promise<KubeletUser | undefined> {
    const fromCert = certificateUser(req);
    if (fromCert) return fromCert;
    const token = bearerToken(req);
    return token ? this.reviewToken(token) : undefined;
  }

  private async reviewToken(token: string): Promise<KubeletUser | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.tokens.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const status = parsed<TokenReviewStatus>(await this.o.api.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', body), 'TokenReview');
    const u = status.user;
    const user: KubeletUser | null = status.authenticated && u?.username
      ? { name: u.username, groups: u.groups ?? [], ...(u.uid ? { uid: u.uid } : {}), ...(u.extra ? { extra: u.extra } : {}) }
      : null;
    this.tokens.set(key, user, this.o.tokenTtlMs ?? 120_000);
    return user ?? undefined;
  }

  /** Whether the user may make this request; throws when the SubjectAccessReview cannot be made (500). */
  async authorize(user: KubeletUser, a: KubeletRequestAttributes): Promise<boolean> {
    const key = JSON.stringify([user.name, user.uid ?? '', [...user.groups].sort(), user.extra ?? {}, a.verb, a.subresource, a.name]);
    const cached = this.decisions.get(key);
    if (cached !== undefined) return cached;
    const spec = {
      user: user.name, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}), ...(user.extra ? { extra: user.extra } : {}),
      resourceAttributes: { namespace: '', verb: a.verb, group: '', version: '', resource: a.resource, subresource: a.subresource, name: a.name },
    };
    const body = JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    const status = parsed<AccessReviewStatus>(await this.o.api.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', body), 'SubjectAccessReview');
    const allowed = status.allowed === true;
    this.decisions.set(key, allowed, allowed ? this.o.allowedTtlMs ?? 300_000 : this.o.deniedTtlMs ?? 30_000);
    return allowed;
  }
}
