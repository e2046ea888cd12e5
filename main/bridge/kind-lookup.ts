// Which resource an object's apiVersion and kind name on the cluster a session shows, from that API server's
// discovery (every served version, custom kinds included), as kubectl's REST mapper finds it — never from this
// process's own resource table, which knows only this Flotilla. A miss asks discovery once more (a CRD just made).
import type { ResourceRef } from '../client/types';
import type { ApiEndpoint } from './api-http';
import { discoverResources } from './discovery';

/** How long a discovery answer is reused before a miss asks again. */
const FRESH_MS = 2000;

/** The resource of an apiVersion and kind, or undefined when the server serves no such kind. */
export type KindResolver = (apiVersion: string, kind: string) => Promise<ResourceRef | undefined>;

const keyOf = (apiVersion: string, kind: string): string => `${apiVersion}\n${kind}`;

export function kindLookup(api: ApiEndpoint): KindResolver {
  let cache: { at: number; refs: Map<string, ResourceRef> } | undefined;
  const table = async (fresh: boolean): Promise<Map<string, ResourceRef>> => {
    if (!fresh && cache && Date.now() - cache.at < FRESH_MS) return cache.refs;
    const refs = new Map<string, ResourceRef>();
    for (const t of await discoverResources(api, true)) {
      const key = keyOf(t.group ? `${t.group}/${t.version}` : t.version, t.kind);
      if (t.kind && !refs.has(key)) refs.set(key, { group: t.group, version: t.version, plural: t.resource, namespaced: t.namespaced });
    }
    cache = { at: Date.now(), refs };
    return refs;
  };
  return async (apiVersion, kind) => {
    const key = keyOf(apiVersion, kind);
    return (await table(false)).get(key) ?? (await table(true)).get(key);
  };
}
