// Credentials from the node's registries.yaml settings (REGISTRY_AUTH_FILE, written by the node manager) for an image
// whose pod gives no pull secret: the AuthConfig to send with CRI PullImage (containerd 1.6's hosts.toml has no
// credentials). The file is read afresh on every call, so a changed registries.yaml applies without an agent restart.
import { readFileSync } from 'node:fs';
import { credentialsFor, REGISTRY_AUTH_FILE, type RegistryAuthFile } from '../../../main/protocol/registry-auth';
import type { AuthConfig } from '../cri/types';

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

/** The CRI AuthConfig registries.yaml gives for pulling `image`, or undefined. */
export function registryAuthFor(image: string, file: string = REGISTRY_AUTH_FILE): AuthConfig | undefined {
  const settings = readAuthFile(file);
  const c = settings && credentialsFor(image, settings);
  if (!c) return undefined;
  return {
    username: c.username ?? '', password: c.password ?? '', auth: c.auth ?? '', server_address: '', identity_token: c.identitytoken ?? '', registry_token: '',
  };
}
