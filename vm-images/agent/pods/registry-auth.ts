// Credentials from the node's registries.yaml settings (REGISTRY_AUTH_FILE, written by the node manager) for an image
// whose pod gives no pull secret: the AuthConfig to send with CRI PullImage (containerd 1.6's hosts.toml has no
// credentials). The file is read afresh on every call, so a changed registries.yaml applies without an agent restart.
import { readFileSync } from 'node:fs';
import { credentialsFor, REGISTRY_AUTH_FILE, type RegistryAuthFile } from '../../../main/protocol/registry-auth';

/** CRI runtime.v1 AuthConfig, as proto-loader takes it (keepCase). */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

function readAuthFile(file: string): RegistryAuthFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no credentials configured
  }
  const parsed = JSON.parse(text) as Partial<RegistryAuthFile>;
  return { configs: parsed.configs ?? {}, mirrors: parsed.mirrors ?? {} };
}

/** The AuthConfig registries.yaml gives for pulling `image`, or undefined. */
export function registryAuthFor(image: string, file: string = REGISTRY_AUTH_FILE): AuthConfig | undefined {
  const settings = readAuthFile(file);
  const c = settings && credentialsFor(image, settings);
  if (!c) return undefined;
  const out: AuthConfig = {};
  if (c.username) out.username = c.username;
  if (c.password) out.password = c.password;
  if (c.auth) out.auth = c.auth;
  if (c.identitytoken) out.identity_token = c.identitytoken;
  return out;
}
