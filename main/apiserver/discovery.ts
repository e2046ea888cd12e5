// API discovery: the aggregated form kubectl 1.32 asks for first (apidiscovery.k8s.io/v2) and
// the legacy APIVersions / APIGroupList / APIResourceList it falls back to.
import type { ResourceInfo } from '../api/resources';
import { CONVERTED_RESOURCES, RESOURCES, groupVersions } from '../api/resources';
import type { RemoteGroupVersion } from './aggregator/aggregator';
import { aggregatedRemoteResources, byVersionPriority } from './aggregator/remote-discovery';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=APIGroupDiscoveryList') && accept.includes('g=apidiscovery.k8s.io');
}

/** The resources of one group version, stored or served by conversion. */
function servedIn(group: string, version: string): ResourceInfo[] {
  return [...RESOURCES, ...CONVERTED_RESOURCES].filter((r) => r.group === group && r.version === version);
}

function aggregatedResource(r: ResourceInfo) {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

/** The remote group versions by group, groups in kube-aggregator's order (groupPriorityMinimum, then name). */
function remoteGroups(remote: readonly RemoteGroupVersion[]): Map<string, RemoteGroupVersion[]> {
  const byGroup = new Map<string, RemoteGroupVersion[]>();
  for (const r of remote) {
    const g = r.apiService.spec.group ?? '';
    if (!g) continue;
    byGroup.set(g, [...(byGroup.get(g) ?? []), r]);
  }
  for (const list of byGroup.values()) list.sort((a, b) => byVersionPriority(a.apiService, b.apiService));
  const priority = (g: string) => Math.max(...byGroup.get(g)!.map((r) => r.apiService.spec.groupPriorityMinimum ?? 0));
  return new Map([...byGroup.keys()].sort((a, b) => priority(b) - priority(a) || (a < b ? -1 : a > b ? 1 : 0)).map((g) => [g, byGroup.get(g)!]));
}

/** A remote version's aggregated entry: what its server last answered (Stale once it stopped answering); none before. */
function remoteVersionEntry(r: RemoteGroupVersion) {
  if (!r.discovered) return undefined;
  const { group = '', version = '' } = r.apiService.spec;
  return { version, resources: aggregatedRemoteResources(group, version, r.discovered.list), freshness: r.discovered.fresh ? 'Current' : 'Stale' };
}

/** /api (core = true) or /apis, aggregated; `remote` are the group versions aggregated API servers serve. */
export function aggregatedDiscovery(core: boolean, remote: readonly RemoteGroupVersion[] = []) {
  const remoteOf = (group: string, version: string) => remote.find((r) => r.apiService.spec.group === group && r.apiService.spec.version === version);
  const groups = [...new Set(groupVersions().filter((gv) => (gv.group === '') === core).map((gv) => gv.group))];
  // One item per group; its versions in preference order (the stored version first).
  const items = groups.map((group) => ({
    metadata: { name: group, creationTimestamp: null },
    versions: groupVersions().filter((gv) => gv.group === group).flatMap((gv) => {
      const r = remoteOf(gv.group, gv.version);
      if (r) return remoteVersionEntry(r) ?? [];
      return [{ version: gv.version, resources: servedIn(gv.group, gv.version).map(aggregatedResource), freshness: 'Current' }];
    }),
  }));
  if (!core) {
    for (const [group, versions] of remoteGroups(remote)) {
      if (groups.includes(group)) continue;
      const entries = versions.flatMap((r) => remoteVersionEntry(r) ?? []);
      if (entries.length) items.push({ metadata: { name: group, creationTimestamp: null }, versions: entries });
    }
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

/** The legacy /api answer; `serverAddress` is the `host:port` the server listens on. */
export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string) {
  const versions = groupVersions().filter((gv) => gv.group === group).map((gv) => ({ groupVersion: `${gv.group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** A group only aggregated API servers serve: its versions as its APIServices order them. */
function remoteApiGroup(group: string, versions: readonly RemoteGroupVersion[]) {
  const vs = versions.map((r) => ({ groupVersion: `${group}/${r.apiService.spec.version ?? ''}`, version: r.apiService.spec.version ?? '' }));
  return { name: group, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(remote: readonly RemoteGroupVersion[] = []) {
  const local = [...new Set(groupVersions().map((gv) => gv.group).filter((g) => g !== ''))];
  const aggregated = [...remoteGroups(remote)].filter(([g]) => !local.includes(g)).map(([g, vs]) => remoteApiGroup(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...local.map(apiGroup), ...aggregated] };
}

export function apiGroupInfo(group: string, remote: readonly RemoteGroupVersion[] = []) {
  if (groupVersions().some((gv) => gv.group === group)) return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
  const versions = remoteGroups(remote).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...remoteApiGroup(group, versions) } : undefined;
}

/** Legacy APIResourceList of one group version; subresources appear as `pods/log`. */
export function apiResourceList(group: string, version: string) {
  const rs = servedIn(group, version);
  if (!rs.length) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== r.group || s.version !== r.version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
