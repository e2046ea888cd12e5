// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): walks the ClusterRoleBindings, then the
// RoleBindings of the request's namespace, whose subjects include the user, and allows the request
// if a rule of a bound role allows it. A binding whose role is missing is skipped and reported.
import type { ClusterRoleBinding, PolicyRule, RoleBinding, StoredObject, Subject } from '../../api/types';
import { resourceFor } from '../../api/resources';
import type { Registry } from '../registry/registry';
import type { Attributes, UserInfo } from './attributes';
import { ruleAllows } from './rules';

const RBAC = 'rbac.authorization.k8s.io';
const R = {
  roles: resourceFor(RBAC, 'v1', 'roles')!,
  clusterroles: resourceFor(RBAC, 'v1', 'clusterroles')!,
  rolebindings: resourceFor(RBAC, 'v1', 'rolebindings')!,
  clusterrolebindings: resourceFor(RBAC, 'v1', 'clusterrolebindings')!,
};

/** Whether a binding's subject is this user (serviceaccount subjects default to the binding's namespace). */
export function appliesTo(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User': return user.name === s.name;
    case 'Group': return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      return Boolean(ns) && user.name === `system:serviceaccount:${ns}:${s.name}`;
    }
    default: return false;
  }
}

/** Return false to stop the walk. `err` is a binding whose role could not be read. */
type Visitor = (rule: PolicyRule | undefined, err?: string) => boolean;

export class RbacAuthorizer {
  constructor(private readonly registry: Pick<Registry, 'list' | 'tryGet'>) {}

  private rulesOf(ref: { kind?: string; name?: string }, namespace: string): PolicyRule[] | string {
    const cluster = ref.kind === 'ClusterRole';
    const role = cluster ? this.registry.tryGet(R.clusterroles, undefined, ref.name ?? '') : this.registry.tryGet(R.roles, namespace, ref.name ?? '');
    if (!role) return `${cluster ? 'clusterrole' : 'role'}.${RBAC} ${JSON.stringify(ref.name ?? '')} not found`;
    return ((role as StoredObject & { rules?: PolicyRule[] }).rules ?? []);
  }

  private visit(user: UserInfo, namespace: string, visitor: Visitor): void {
    const walk = (bindings: StoredObject[], bindingNs: string): boolean => {
      for (const b of bindings as Array<StoredObject & (RoleBinding | ClusterRoleBinding)>) {
        if (!(b.subjects ?? []).some((s) => appliesTo(user, s, bindingNs))) continue;
        const rules = this.rulesOf(b.roleRef ?? {}, bindingNs);
        if (typeof rules === 'string') {
          if (!visitor(undefined, rules)) return false;
          continue;
        }
        for (const rule of rules) if (!visitor(rule)) return false;
      }
      return true;
    };
    if (!walk(this.registry.list(R.clusterrolebindings, undefined).items, '')) return;
    if (namespace) walk(this.registry.list(R.rolebindings, namespace).items, namespace);
  }

  /** Allowed, or not with the reason RBAC gives (the roles it could not find). */
  authorize(a: Attributes): { allowed: boolean; reason: string } {
    let allowed = false;
    const errs: string[] = [];
    this.visit(a.user, a.namespace, (rule, err) => {
      if (err) errs.push(err);
      if (rule && ruleAllows(a, rule)) allowed = true;
      return !allowed;
    });
    if (allowed) return { allowed, reason: '' };
    return { allowed, reason: errs.length ? `RBAC: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}` : '' };
  }

  /** Every rule that applies to the user in `namespace` (SelfSubjectRulesReview), and the errors met. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errs: string[] = [];
    this.visit(user, namespace, (rule, err) => {
      if (err) errs.push(err);
      if (rule) rules.push(rule);
      return true;
    });
    return { rules, errors: errs };
  }
}
