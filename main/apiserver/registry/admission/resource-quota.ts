// The ResourceQuota admission plugin on create: an object that would take a namespace's usage of a
// quota's resource past its hard limit is refused with Kubernetes' 403 ("exceeded quota: q,
// requested: pods=1, used: pods=2, limited: pods=2"). Usage is counted from the stored objects plus
// the creates admitted but not yet written (reserved until the write settles), so concurrent
// creates cannot overshoot. A quota with scopes counts only the pods that match them (api/quota-scopes.ts).
// Object counts (`count/deployments.apps`, `count/widgets.example.com`, api/quota-count.ts) cover every served
// resource, as Kubernetes' object count evaluators do.
import type { KObject, Pod, ResourceQuota } from '../../../api/types';
import type { ResourceInfo } from '../../../api/resources';
import { resourceFor } from '../../../api/resources';
import type { NamespaceObjects } from '../../../api/quota-usage';
import { formatResource, quantityOrZero, usageOf } from '../../../api/quota-usage';
import { objectsInScope } from '../../../api/quota-scopes';
import { groupResourceOf, objectCountResource } from '../../../api/quota-count';
import type { ObjectReader } from '../strategy';
import { errors } from '../../status';
import { compareCodePoints } from '../../../api/string-order';

const QUOTAS = resourceFor('', 'v1', 'resourcequotas')!;
const COUNTED = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims'] as const;
type Counted = typeof COUNTED[number];

function emptyObjects(): NamespaceObjects {
  return { pods: [], services: [], configmaps: [], secrets: [], persistentvolumeclaims: [] };
}

function storedObjects(reader: ObjectReader, namespace: string): NamespaceObjects {
  const objs = emptyObjects();
  for (const plural of COUNTED) {
    const r = resourceFor('', 'v1', plural)!;
    (objs[plural] as unknown[]) = reader.list(r, namespace).items;
  }
  return objs;
}

/**
 * The podEvaluator's Constraints: a quota on cpu or memory requests or limits needs every container
 * to give them ("limits.cpu for: a,b; requests.memory for: a"), empty when none is missing.
 */
function missingPodResources(pod: Pod, hard: string[]): string {
  const required = hard.filter((h) => /^((requests|limits)\.)?(cpu|memory)$/.test(h)).sort();
  const parts: string[] = [];
  for (const name of required) {
    const [which, res] = name.includes('.') ? name.split('.') as ['requests' | 'limits', string] : ['requests' as const, name];
    const lacking = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
      .filter((c) => !(res in (c.resources?.[which] ?? {}))).map((c) => c.name).sort();
    if (lacking.length) parts.push(`${name} for: ${lacking.join(',')}`);
  }
  return parts.join('; ');
}

/** Adds `obj` of group-resource `gr` to `objs`. */
function addObject(objs: NamespaceObjects, gr: string, obj: KObject): NamespaceObjects {
  if ((COUNTED as readonly string[]).includes(gr)) (objs[gr as Counted] as unknown[]).push(obj);
  else ((objs.other ??= {})[gr] ??= []).push(obj);
  return objs;
}

/** Reservations of admitted creates not yet stored, per namespace. */
export class QuotaReservations {
  private readonly pending = new Map<string, Set<{ gr: string; obj: KObject }>>();

  /** Checks `obj` against its namespace's quotas; returns the release of its reservation (undefined when no quota counts it). */
  admit(reader: ObjectReader, r: ResourceInfo, obj: KObject, namespace: string, displayName: string): (() => void) | undefined {
    if (!namespace || !r.namespaced) return undefined;
    // Most namespaces have no quota: counted (a search of the store's sorted keys) before anything is listed.
    if (reader.count(QUOTAS, namespace) === 0) return undefined;
    const gr = groupResourceOf(r);
    const quotas = reader.list(QUOTAS, namespace).items as unknown as ResourceQuota[];
    if (quotas.length === 0) return undefined;
    const core = (COUNTED as readonly string[]).includes(gr);
    if (!core && !quotas.some((q) => Object.keys(q.spec?.hard ?? {}).some((n) => objectCountResource(n) === gr))) return undefined;
    const mine = addObject(emptyObjects(), gr, obj);
    const objs = storedObjects(reader, namespace);
    if (!core) objs.other = { [gr]: [...reader.list(r, namespace).items] };
    for (const p of this.pending.get(namespace) ?? []) addObject(objs, p.gr, p.obj);
    for (const q of quotas) this.check(q, mine, objs, r, displayName);
    const entry = { gr, obj };
    const set = this.pending.get(namespace) ?? new Set();
    this.pending.set(namespace, set.add(entry));
    return () => {
      set.delete(entry);
      if (set.size === 0) this.pending.delete(namespace);
    };
  }

  private check(q: ResourceQuota, created: NamespaceObjects, stored: NamespaceObjects, r: ResourceInfo, displayName: string): void {
    // A quota whose scopes the object does not match does not count it (nor what is stored outside them).
    const mine = objectsInScope(q, created);
    if (!usageOf(`count/${groupResourceOf(r)}`, mine)) return;
    const objs = objectsInScope(q, stored);
    const missing = mine.pods[0] ? missingPodResources(mine.pods[0], Object.keys(q.spec?.hard ?? {})) : '';
    if (missing) throw errors.forbidden(r.group, r.plural, displayName, `failed quota: ${q.metadata?.name ?? ''}: must specify ${missing}`);
    const exceeded: Array<[string, number, number, string]> = [];
    for (const [name, hardValue] of Object.entries(q.spec?.hard ?? {}).sort(([a], [b]) => compareCodePoints(a, b))) {
      const requested = usageOf(name, mine);
      if (!requested) continue;
      const used = usageOf(name, objs) ?? 0;
      if (used + requested > quantityOrZero(String(hardValue))) exceeded.push([name, requested, used, String(hardValue)]);
    }
    if (exceeded.length === 0) return;
    const show = (pick: (e: [string, number, number, string]) => string) => exceeded.map((e) => `${e[0]}=${pick(e)}`).join(',');
    throw errors.forbidden(r.group, r.plural, displayName, `exceeded quota: ${q.metadata?.name ?? ''}, requested: ${show((e) => formatResource(e[0], e[1]))}, `
      + `used: ${show((e) => formatResource(e[0], e[2]))}, limited: ${show((e) => e[3])}`);
  }
}
