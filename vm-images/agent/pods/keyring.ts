// Registry credentials from a pod's pull secrets, matched to an image as the kubelet's DockerKeyring
// does (pkg/credentialprovider): kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg secrets,
// keys normalized (scheme dropped, /v1/ and /v2/ equal to the host), the most specific key first,
// `*` globs per host label, the port and a path prefix must match, and index.docker.io's credentials
// for any Docker Hub image when nothing else matched.
import type { AuthConfig } from '../cri/types';
import { parseImageRef } from './image-ref';

/** A Secret as the agent read it: its type and its data decoded. */
export interface PullSecret { name: string; type?: string; data: Map<string, Buffer> }

interface Entry { username?: string; password?: string; email?: string; auth?: string }

/** Reads one Secret of the pod's namespace (undefined when it does not exist). */
export type PullSecretLookup = (namespace: string, name: string) => Promise<PullSecret | undefined>;

const DEFAULT_REGISTRY_HOST = 'index.docker.io';

/** Thrown for a pull secret whose content cannot be read; the pull fails with its message, as the kubelet's. */
export class PullSecretError extends Error {}

function decodeAuth(auth: string): { username: string; password: string } {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) throw new PullSecretError('expected username:password');
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1).replace(/\0+$/, '') };
}

function credentials(e: Entry): AuthConfig {
  const up = e.auth ? decodeAuth(e.auth) : { username: e.username ?? '', password: e.password ?? '' };
  return { username: up.username, password: up.password, auth: '', server_address: '', identity_token: '', registry_token: '' };
}

/** The keyring's key for a config entry's location: host plus a path other than /, v1/v2 prefixes dropped. */
export function keyringKey(loc: string): string | undefined {
  try {
    const u = new URL(/^https?:\/\//.test(loc) ? loc : `https://${loc}`);
    let path = decodeURIComponent(u.pathname);
    if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
    return path && path !== '/' ? u.host + path : u.host;
  } catch {
    return undefined;
  }
}

function entriesOf(secret: PullSecret): Record<string, Entry> {
  const parse = (key: string): unknown => {
    const raw = secret.data.get(key);
    if (!raw?.length) return undefined;
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new PullSecretError(`secret "${secret.name}": ${key}: ${(err as Error).message}`);
    }
  };
  if (secret.type === 'kubernetes.io/dockerconfigjson') {
    const cfg = parse('.dockerconfigjson') as { auths?: Record<string, Entry> } | undefined;
    return cfg?.auths ?? {};
  }
  if (secret.type === 'kubernetes.io/dockercfg') return (parse('.dockercfg') as Record<string, Entry> | undefined) ?? {};
  return {};
}

/** filepath.Match for one host label: `*` any run of characters, `?` one, the rest literal. */
function globMatch(glob: string, s: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(s);
}

function splitHost(hostPort: string): { labels: string[]; port: string } {
  const m = /^(.*?)(?::(\d+))?$/.exec(hostPort);
  return { labels: (m?.[1] ?? hostPort).split('.'), port: m?.[2] ?? '' };
}

/** URLsMatch: a key (host glob[:port][/path]) against a repository (host[:port]/path). */
export function keyMatches(key: string, repository: string): boolean {
  const [kHost = '', ...kPath] = key.split('/');
  const [tHost = '', ...tPath] = repository.split('/');
  const k = splitHost(kHost);
  const t = splitHost(tHost);
  if (k.port !== t.port || k.labels.length !== t.labels.length) return false;
  const kp = kPath.length ? `/${kPath.join('/')}` : '';
  if (!`/${tPath.join('/')}`.startsWith(kp)) return false;
  return k.labels.every((l, i) => globMatch(l, t.labels[i] ?? ''));
}

function isDefaultRegistryMatch(repository: string): boolean {
  const [first = '', rest] = repository.split(/\/(.*)/s);
  if (!first) return false;
  if (rest === undefined) return true;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !/[.:]/.test(first);
}

/** The keyring of all the pod's pull secrets (one BasicDockerKeyring, as secretsToTrackedDockerConfigs builds). */
function keyring(secrets: readonly PullSecret[]): Map<string, Entry[]> {
  const byKey = new Map<string, Entry[]>();
  for (const secret of secrets) {
    for (const [loc, e] of Object.entries(entriesOf(secret))) {
      const key = keyringKey(loc);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), e]);
    }
  }
  return byKey;
}

/**
 * The credentials to try for `image`, in order: the pull secrets' matches (the most specific key
 * first), then `fallback`'s (the node's own credentials, e.g. registries.yaml), as the kubelet's
 * union of the secrets' keyring and the node's.
 */
export function credentialsFor(image: string, secrets: readonly PullSecret[], fallback: readonly AuthConfig[] = []): AuthConfig[] {
  const { repository } = parseImageRef(image);
  const byKey = keyring(secrets);
  const keys = [...byKey.keys()].sort().reverse();
  let hits = keys.filter((k) => keyMatches(k, repository)).flatMap((k) => byKey.get(k) ?? []);
  if (!hits.length && isDefaultRegistryMatch(repository)) hits = byKey.get(DEFAULT_REGISTRY_HOST) ?? [];
  return [...hits.map(credentials), ...fallback];
}
