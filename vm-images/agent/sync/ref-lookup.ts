// Resolves the ConfigMaps and Secrets that container env refers to, and pods' image pull secrets, through the API.
import type { ConfigMap, Secret } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import type { RefLookup } from '../pods/env';
import type { PullSecretLookup } from '../pods/keyring';
import { R } from '../../../main/client/refs';
import { secretBytes } from './object-data';

export function apiRefLookup(client: ApiClient): RefLookup {
  return async (kind, namespace, name) => {
    try {
      // Env takes a ConfigMap's data only (not binaryData), as the kubelet.
      if (kind === 'ConfigMap') return { ...((await client.get<ConfigMap>(R.configmaps, name, namespace)).data ?? {}) };
      const bytes = secretBytes(await client.get<Secret>(R.secrets, name, namespace));
      return Object.fromEntries([...bytes].map(([k, v]) => [k, v.toString('utf8')]));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}

/** A pod's image pull secret with its type, as the keyring reads it; undefined when it does not exist. */
export function apiPullSecretLookup(client: ApiClient): PullSecretLookup {
  return async (namespace, name) => {
    try {
      const secret = await client.get<Secret>(R.secrets, name, namespace);
      return { name, type: secret.type, data: secretBytes(secret) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}
