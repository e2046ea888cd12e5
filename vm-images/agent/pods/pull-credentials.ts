// The credentials a pod's image pull tries: its imagePullSecrets (read through the API when the pull
// starts, as the kubelet's getPullSecretsForPod), then the node's own for the registry (registries.yaml,
// through `registryAuth`): pull secrets win.
import type { Pod } from 'kubernetes-types/core/v1';
import type { AuthConfig } from '../cri/types';
import { credentialsFor, type PullSecret, type PullSecretLookup } from './keyring';
import type { PodEvent } from './events';

/** Where the credentials come from. */
export interface CredentialSources {
  pullSecrets?: PullSecretLookup;
  /** The node's credentials for the image's registry (h-reg's registries.yaml auth), tried after the pull secrets. */
  registryAuth?: (image: string) => AuthConfig[];
}

/** The credentials for `image`; a missing secret is skipped with the kubelet's FailedToRetrieveImagePullSecret warning. */
export async function podPullCredentials(
  sources: CredentialSources, pod: Pod, image: string, event: (type: PodEvent['type'], reason: string, message: string) => void,
): Promise<AuthConfig[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const secrets: PullSecret[] = [];
  const failed: string[] = [];
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    if (!ref.name) continue;
    const secret = sources.pullSecrets ? await sources.pullSecrets(namespace, ref.name).catch(() => undefined) : undefined;
    if (secret) secrets.push(secret);
    else failed.push(ref.name);
  }
  if (failed.length) {
    event('Warning', 'FailedToRetrieveImagePullSecret',
      `Unable to retrieve some image pull secrets (${failed.join(', ')}); attempting to pull the image may not succeed.`);
  }
  return credentialsFor(image, secrets, sources.registryAuth?.(image) ?? []);
}
