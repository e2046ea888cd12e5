// The resource types the API serves, read from its discovery as any Kubernetes client does: the
// aggregated form (apidiscovery.k8s.io/v2) of /api and /apis, else the legacy group and resource lists.
// By default only each group's preferred version, only what can be listed (what a browser can show); `every`
// gives every served version and verb (what an object's apiVersion and kind are looked up in).
import type { ApiResourceType } from './contract';
import type { ApiEndpoint } from './api-http';
import { getJson } from './api-http';
import { BridgeFailure } from './errors';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedResource {
  resource: string;
  responseKind?: { kind?: string };
  scope?: 'Namespaced' | 'Cluster';
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Array<{ subresource: string }>;
}
interface AggregatedList {
  kind?: string;
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version: string; resources?: AggregatedResource[] }> }>;
}
interface LegacyResource { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[]; categories?: string[] }
interface LegacyGroupList { groups?: Array<{ name: string; preferredVersion?: { version: string }; versions?: Array<{ version: string }> }> }

async function fetchJson<T>(api: ApiEndpoint, path: string, accept?: string): Promise<T> {
  const r = await getJson<T>(api, path, accept);
  if (!r.ok) throw new BridgeFailure(r.error.code, r.error.reason, r.error.message);
  return r.value;
}

function fromAggregated(list: AggregatedList, every: boolean): ApiResourceType[] {
  const out: ApiResourceType[] = [];
  for (const g of list.items ?? []) {
    for (const v of every ? g.versions ?? [] : g.versions?.slice(0, 1) ?? []) addAggregated(out, g.metadata?.name ?? '', v);
  }
  return out;
}

function addAggregated(out: ApiResourceType[], group: string, v: { version: string; resources?: AggregatedResource[] }): void {
  for (const r of v.resources ?? []) {
    out.push({
      group, version: v.version, resource: r.resource, kind: r.responseKind?.kind ?? '',
      namespaced: r.scope === 'Namespaced', verbs: r.verbs ?? [], shortNames: r.shortNames, categories: r.categories,
      subresources: (r.subresources ?? []).map((s) => s.subresource),
    });
  }
}

function fromLegacy(group: string, version: string, resources: LegacyResource[]): ApiResourceType[] {
  const subs = new Map<string, string[]>();
  for (const r of resources) {
    const [name, sub] = r.name.split('/');
    if (sub) subs.set(name, [...(subs.get(name) ?? []), sub]);
  }
  return resources.filter((r) => !r.name.includes('/')).map((r) => ({
    group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [],
    shortNames: r.shortNames, categories: r.categories, subresources: subs.get(r.name) ?? [],
  }));
}

async function legacyDiscovery(api: ApiEndpoint, every: boolean): Promise<ApiResourceType[]> {
  const core = await fetchJson<{ resources?: LegacyResource[] }>(api, '/api/v1');
  const out = fromLegacy('', 'v1', core.resources ?? []);
  const groups = await fetchJson<LegacyGroupList>(api, '/apis');
  const wanted = (groups.groups ?? []).flatMap((g) => {
    const preferred = g.preferredVersion?.version;
    const versions = every ? (g.versions ?? []).map((v) => v.version) : preferred ? [preferred] : [];
    return versions.map((v) => ({ group: g.name, version: v }));
  });
  const lists = await Promise.all(wanted.map(async ({ group, version }) => {
    const l = await fetchJson<{ resources?: LegacyResource[] }>(api, `/apis/${group}/${version}`);
    return fromLegacy(group, version, l.resources ?? []);
  }));
  return out.concat(...lists);
}

/** Every listable resource type the server serves (`every`: of every version, listable or not), core first, then the groups in the server's order. */
export async function discoverResources(api: ApiEndpoint, every = false): Promise<ApiResourceType[]> {
  const [core, groups] = await Promise.all([
    fetchJson<AggregatedList>(api, '/api', AGGREGATED),
    fetchJson<AggregatedList>(api, '/apis', AGGREGATED),
  ]);
  const all = core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList'
    ? [...fromAggregated(core, every), ...fromAggregated(groups, every)]
    : await legacyDiscovery(api, every);
  return every ? all : all.filter((r) => r.verbs.includes('list'));
}
