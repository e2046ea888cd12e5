// What a ResourceQuota counts (pkg/quota/v1/evaluator/core): per resource name of spec.hard, the
// usage of the namespace's objects. Pods count as `pods` (and their requests/limits add up) until they are
// terminal, as `count/pods` while stored; object counts are "<plural>" for the core kinds and "count/<plural>[.<group>]"
// (api/quota-count.ts) for any served resource; services.nodeports and services.loadbalancers count what NodePort and
// LoadBalancer Services take.
import type { PersistentVolumeClaim, Pod, Service } from './types';
import { formatMemory, quantityOrNaN } from './quantity';
import { objectCountResource } from './quota-count';

type ResourceList = Record<string, string>;

/** The objects a quota of one namespace looks at. */
export interface NamespaceObjects {
  pods: Pod[];
  services: unknown[];
  configmaps: unknown[];
  secrets: unknown[];
  persistentvolumeclaims: PersistentVolumeClaim[];
  /** The objects of any other resource an object count names, by group-resource (`deployments.apps`). */
  other?: Record<string, unknown[]>;
}

const COUNTED = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims'] as const;

export function podIsTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** A pod's requests or limits: containers summed, an init container's taken where larger (as the quota and LimitRanger compute it). */
export function podResources(p: Pod, which: 'requests' | 'limits'): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of p.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) total[k] = (total[k] ?? 0) + quantityOrNaN(String(v));
  }
  for (const c of p.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) total[k] = Math.max(total[k] ?? 0, quantityOrNaN(String(v)));
  }
  return total;
}

/** A quantity as Kubernetes prints it: CPU whole or in millicores, other resources as binary-SI when exact. */
export function formatResource(name: string, v: number): string {
  const base = name.replace(/^(requests|limits)\./, '');
  if (base === 'cpu') return Number.isInteger(v) ? String(v) : `${Math.round(v * 1000)}m`;
  if (base === 'pods' || !/memory|storage/.test(base)) return String(Math.round(v * 1000) / 1000);
  return formatMemory(v);
}

function serviceType(svc: unknown): string {
  return (svc as Service).spec?.type ?? 'ClusterIP';
}

/** The node ports a Service takes (the serviceEvaluator: every port of a NodePort or LoadBalancer Service). */
function nodePortsOf(svc: unknown): number {
  const type = serviceType(svc);
  return type === 'NodePort' || type === 'LoadBalancer' ? ((svc as Service).spec?.ports ?? []).length : 0;
}

/** The usage of one quota resource name (undefined: a name this server does not count). */
export function usageOf(name: string, objs: NamespaceObjects): number | undefined {
  const live = objs.pods.filter((p) => !podIsTerminal(p));
  if (name === 'pods') return live.length;
  const counted = objectCountResource(name);
  if (counted !== undefined) {
    if ((COUNTED as readonly string[]).includes(counted)) return objs[counted as typeof COUNTED[number]].length;
    return objs.other?.[counted]?.length;
  }
  const m = /^(requests\.|limits\.)?(cpu|memory|ephemeral-storage)$/.exec(name);
  if (m) {
    const which = m[1] === 'limits.' ? 'limits' : 'requests';
    return live.reduce((sum, p) => sum + (podResources(p, which)[m[2]] ?? 0), 0);
  }
  if (name === 'services.loadbalancers') return objs.services.filter((svc) => serviceType(svc) === 'LoadBalancer').length;
  if (name === 'services.nodeports') return objs.services.reduce((sum: number, svc) => sum + nodePortsOf(svc), 0);
  if (name === 'requests.storage') {
    return objs.persistentvolumeclaims.reduce((sum, c) => sum + (quantityOrNaN(String(c.spec?.resources?.requests?.storage ?? '0')) || 0), 0);
  }
  return undefined;
}

/** status.used of a quota with `hard` over `objs` (names this server does not count are left out). */
export function quotaUsage(hard: ResourceList, objs: NamespaceObjects): ResourceList {
  const used: ResourceList = {};
  for (const name of Object.keys(hard).sort()) {
    const u = usageOf(name, objs);
    if (u !== undefined) used[name] = formatResource(name, u);
  }
  return used;
}

/** A quantity's value, 0 when malformed. */
export function quantityOrZero(q: string): number {
  return quantityOrNaN(q) || 0;
}
