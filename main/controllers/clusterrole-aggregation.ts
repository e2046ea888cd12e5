// The ClusterRole aggregation controller: a ClusterRole with an aggregationRule has as its rules the
// rules of every other ClusterRole its selectors match (in name order, each rule once), kept up to
// date as those roles change (admin, edit and view gather the system:aggregate-to-* roles this way).
import type { ClusterRole, KObject, PolicyRule } from '../api/types';
import { selectorFromLabelSelector } from '../api/labels';
import { newReconciler } from '../client/reconciler';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { compareCodePoints } from '../api/string-order';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The rules an aggregated role gets from `roles`. */
export function aggregatedRules(role: ClusterRole, roles: readonly ClusterRole[]): PolicyRule[] {
  const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []).map((s) => selectorFromLabelSelector(s));
  const rules: PolicyRule[] = [];
  const sorted = [...roles].sort((a, b) => compareCodePoints(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  for (const other of sorted) {
    if (other.metadata?.name === role.metadata?.name) continue;
    if (!selectors.some((s) => s.matches(other.metadata?.labels ?? {}))) continue;
    for (const rule of other.rules ?? []) if (!rules.some((r) => same(r, rule))) rules.push(rule);
  }
  return rules;
}

export function newClusterRoleAggregationController(ctx: ControllerContext): Controller {
  const { client, informers } = ctx;
  const roles = informers.informer('clusterroles');
  const list = () => roles.list() as unknown as ClusterRole[];

  async function reconcile(name: string): Promise<void> {
    const role = roles.get(name) as (ClusterRole & KObject) | undefined;
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, list());
    if (same(role.rules ?? [], rules)) return;
    await client.update(R.clusterroles, { ...role, rules });
  }

  // Any role's change may change what an aggregated role gathers: all aggregated roles are looked at.
  return newReconciler(ctx, 'clusterrole-aggregation')
    .watches<ClusterRole>('clusterroles', () => list().filter((r) => r.aggregationRule).map((r) => r.metadata?.name ?? ''))
    .complete(reconcile);
}
