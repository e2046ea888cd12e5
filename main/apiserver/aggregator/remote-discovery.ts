// Discovery of aggregated group versions: the APIResourceList a server answered at /apis/<group>/<version>, made into
// the aggregated (apidiscovery.k8s.io/v2) form kubectl asks for (its resources, with `name/sub` entries as their
// subresources), and each remote group's APIGroup ordered as kube-aggregator orders it (versionPriority, highest first).
import type { APIService } from '../../api/types';

export interface RemoteResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  group?: string;
  version?: string;
  kind?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface RemoteResourceList {
  groupVersion?: string;
  resources: RemoteResource[];
}

/** The resources of a remote group version in apidiscovery.k8s.io/v2 form. */
export function aggregatedRemoteResources(group: string, version: string, list: RemoteResourceList): Array<Record<string, unknown>> {
  const top = list.resources.filter((r) => !r.name.includes('/'));
  return top.map((r) => {
    const out: Record<string, unknown> = {
      resource: r.name,
      responseKind: { group: r.group ?? group, version: r.version ?? version, kind: r.kind ?? '' },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: r.verbs ?? [],
    };
    if (r.shortNames?.length) out.shortNames = r.shortNames;
    if (r.categories?.length) out.categories = r.categories;
    const subs = list.resources.filter((s) => s.name.startsWith(`${r.name}/`));
    if (subs.length) {
      out.subresources = subs.map((s) => ({
        subresource: s.name.slice(r.name.length + 1),
        responseKind: { group: s.group ?? group, version: s.version ?? version, kind: s.kind ?? '' },
        verbs: s.verbs ?? [],
      }));
    }
    return out;
  });
}

/** Kubernetes' version order (GA before beta before alpha, higher numbers first; others last, alphabetically). */
function kubeVersionKey(v: string): [number, number, number, string] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0, v];
  const rank = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return [rank, -Number(m[1]), -Number(m[3] ?? 0), v];
}

/** APIServices of one group ordered as kube-aggregator orders its versions: versionPriority, then Kubernetes' order. */
export function byVersionPriority(a: APIService, b: APIService): number {
  const d = (b.spec.versionPriority ?? 0) - (a.spec.versionPriority ?? 0);
  if (d) return d;
  const ka = kubeVersionKey(a.spec.version ?? '');
  const kb = kubeVersionKey(b.spec.version ?? '');
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return (ka[i] as number) - (kb[i] as number);
  return ka[3] < kb[3] ? -1 : ka[3] > kb[3] ? 1 : 0;
}
