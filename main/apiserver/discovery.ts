// API discovery: the aggregated form kubectl 1.32 asks for first (apidiscovery.k8s.io/v2) and
// the legacy APIVersions / APIGroupList / APIResourceList it falls back to.
import type { ResourceInfo } from '../api/resources';
import { CONVERTED_RESOURCES, RESOURCES, groupVersions } from '../api/resources';

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

/** /api (core = true) or /apis, aggregated. */
export function aggregatedDiscovery(core: boolean) {
  const groups = [...new Set(groupVersions().filter((gv) => (gv.group === '') === core).map((gv) => gv.group))];
  // One item per group; its versions in preference order (the stored version first).
  const items = groups.map((group) => ({
    metadata: { name: group, creationTimestamp: null },
    versions: groupVersions().filter((gv) => gv.group === group).map((gv) => ({
      version: gv.version,
      resources: servedIn(gv.group, gv.version).map(aggregatedResource),
      freshness: 'Current',
    })),
  }));
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

export function apiGroupList() {
  const groups = [...new Set(groupVersions().map((gv) => gv.group).filter((g) => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

export function apiGroupInfo(group: string) {
  if (!groupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
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
