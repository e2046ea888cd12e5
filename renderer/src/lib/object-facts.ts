// What the browser's object detail reads from any object: its conditions, its pods' label selector,
// and which workload actions its kind has (as kubectl offers them).
import type { KObject, LabelSelector } from '../../../main/api/types';
import type { ApiResourceType } from '../../../main/bridge/contract';
import { selectorFromLabelSelector } from '../../../main/api/labels';

export interface GenericCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** status.conditions, when the object has them in Kubernetes' shape. */
export function conditionsOf(o: KObject | undefined): GenericCondition[] {
  return conditionList(record(o?.status)?.conditions);
}

/**
 * Conditions an object keeps per part of its status, as the Gateway API does: a route's per parent
 * (`status.parents[]`, each with its controller) and a Gateway's per listener (`status.listeners[]`).
 */
export function partConditionsOf(o: KObject | undefined): Array<{ title: string; conditions: GenericCondition[] }> {
  const status = record(o?.status);
  const out: Array<{ title: string; conditions: GenericCondition[] }> = [];
  for (const p of Array.isArray(status?.parents) ? status.parents : []) {
    const ref = record(record(p)?.parentRef);
    const name = [ref?.namespace, ref?.name].filter((x) => typeof x === 'string').join('/');
    const section = typeof ref?.sectionName === 'string' ? ` (listener ${ref.sectionName})` : '';
    const controller = record(p)?.controllerName;
    out.push({ title: `${typeof ref?.kind === 'string' ? ref.kind : 'Parent'} ${name}${section}${typeof controller === 'string' ? ` · ${controller}` : ''}`,
      conditions: conditionList(record(p)?.conditions) });
  }
  for (const l of Array.isArray(status?.listeners) ? status.listeners : []) {
    const r = record(l);
    const routes = typeof r?.attachedRoutes === 'number' ? ` · ${r.attachedRoutes} route${r.attachedRoutes === 1 ? '' : 's'}` : '';
    out.push({ title: `Listener ${typeof r?.name === 'string' ? r.name : ''}${routes}`, conditions: conditionList(r?.conditions) });
  }
  return out.filter((x) => x.conditions.length > 0);
}

function conditionList(list: unknown): GenericCondition[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c): GenericCondition[] => {
    const r = record(c);
    if (!r || typeof r.type !== 'string' || typeof r.status !== 'string') return [];
    const s = (k: string): string | undefined => { const v = r[k]; return typeof v === 'string' ? v : undefined; };
    return [{ type: r.type, status: r.status, reason: s('reason'), message: s('message'), lastTransitionTime: s('lastTransitionTime') }];
  });
}

/** The label selector (as a string) of the pods a workload runs; undefined for a kind without pods of its own. */
export function podSelectorOf(t: Pick<ApiResourceType, 'group' | 'resource'>, o: KObject | undefined): string | undefined {
  const workloads = ['apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'apps/replicasets', 'batch/jobs', '/replicationcontrollers'];
  if (!workloads.includes(`${t.group}/${t.resource}`)) return undefined;
  const sel = record(o?.spec)?.selector;
  if (!sel) return undefined;
  // A ReplicationController's selector is a plain map.
  const ls: LabelSelector = t.resource === 'replicationcontrollers' ? { matchLabels: sel as Record<string, string> } : sel;
  try {
    return selectorFromLabelSelector(ls).toString() || undefined;
  } catch {
    return undefined;
  }
}

export interface WorkloadActions {
  history: boolean;
  restart: boolean;
  scale: boolean;
  trigger: boolean;
}

export function actionsOf(t: Pick<ApiResourceType, 'group' | 'resource' | 'subresources'>): WorkloadActions {
  const rollout = t.group === 'apps' && ['deployments', 'statefulsets', 'daemonsets'].includes(t.resource);
  return { history: rollout, restart: rollout, scale: t.subresources.includes('scale'), trigger: t.group === 'batch' && t.resource === 'cronjobs' };
}

/** spec.replicas, when the object has it. */
export function replicasOf(o: KObject | undefined): number | undefined {
  const r = record(o?.spec)?.replicas;
  return typeof r === 'number' ? r : undefined;
}
