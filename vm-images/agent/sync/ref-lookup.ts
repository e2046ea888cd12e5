// Resolves the ConfigMaps and Secrets that container env refers to, through the API.
import type { ConfigMap, Secret } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import type { RefLookup } from '../pods/env';
import { R } from '../../../main/client/refs';

export function apiRefLookup(client: ApiClient): RefLookup {
  return async (kind, namespace, name) => {
    try {
      if (kind === 'ConfigMap') {
        const cm = await client.get<ConfigMap>(R.configmaps, name, namespace);
        return { ...(cm.data ?? {}) };
      }
      const secret = await client.get<Secret>(R.secrets, name, namespace);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
      for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
      return out;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}
