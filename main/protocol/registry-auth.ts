// Registry credentials from registries.yaml as the node keeps them (REGISTRY_AUTH_FILE, written by the node manager):
// hosts.toml has no place for credentials, so the agent hands them to containerd in PullImage's AuthConfig
// (vm-images/agent/pods/registry-auth.ts). Pure: the node manager writes this shape and the agent reads it.

export const REGISTRY_AUTH_FILE = '/etc/flotilla/registry-auth.json';

/** One registry's credentials, k3s' `configs.<host>.auth` (CRI's AuthConfig fields). */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** base64 of username:password. */
  auth?: string;
  identitytoken?: string;
}

export interface RegistryAuthFile {
  /** Credentials by registry host[:port] ('docker.io' for Docker Hub). */
  configs: Record<string, RegistryCredentials>;
  /** Mirror endpoints' hosts by the registry they mirror, in order ('*' for every registry). */
  mirrors: Record<string, string[]>;
}

/** The registry host of an image reference, as containerd normalises it: `nginx` and `library/nginx` are docker.io's. */
export function imageRegistryHost(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  if (first === 'localhost' || first.includes('.') || first.includes(':')) return first === 'index.docker.io' ? 'docker.io' : first;
  return 'docker.io';
}

/** The host[:port] part of a mirror endpoint URL (`https://mirror:5000/v2` → `mirror:5000`). */
export function endpointHost(endpoint: string): string {
  const noScheme = endpoint.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return noScheme.split('/')[0] ?? noScheme;
}

/**
 * The credentials for pulling `image`: its registry's own, else those of the first of its mirrors' endpoints (or the
 * `*` mirror's) that has some — what k3s does with registries.yaml. Undefined when registries.yaml gives none.
 */
export function credentialsFor(image: string, file: RegistryAuthFile): RegistryCredentials | undefined {
  const host = imageRegistryHost(image);
  const own = file.configs[host];
  if (own) return own;
  for (const ep of [...(file.mirrors[host] ?? []), ...(file.mirrors['*'] ?? [])]) {
    const c = file.configs[ep];
    if (c) return c;
  }
  return undefined;
}
