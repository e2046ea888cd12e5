// The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): walks the ClusterRoleBindings, then the
// RoleBindings of the request's namespace, whose subjects include the user, and allows the request
// if a rule of a bound role allows it. A binding whose role is missing is skipped and reported.
// Bindings and roles come from the RbacIndex (in memory, by subject), not from the store.
import type { PolicyRule } from '../../api/types';
import type { Attributes, UserInfo } from './attributes';
import type { IndexedBinding, RbacIndex } from './rbac-index';
import { ruleAllows } from './rules';

const RBAC = 'rbac.authorization.k8s.io';

/** Return false to stop the walk. `err` is a binding whose role could not be read. */
type Visitor = (rule: PolicyRule | undefined, err?: string) => boolean;

export class RbacAuthorizer {
  constructor(private readonly index: RbacIndex) {}

  /** The rules of a Role in `namespace` or of a ClusterRole; undefined if there is none. */
  roleRules(kind: 'Role' | 'ClusterRole', namespace: string, name: string): PolicyRule[] | undefined {
    return this.index.rules(kind, namespace, name);
  }

  private rulesOf(ref: IndexedBinding['roleRef'], namespace: string): PolicyRule[] | string {
    const cluster = ref.kind === 'ClusterRole';
    const rules = ref.kind === 'ClusterRole' || ref.kind === 'Role' ? this.index.rules(ref.kind, namespace, ref.name) : undefined;
    if (!rules) return `${cluster ? 'clusterrole' : 'role'}.${RBAC} ${JSON.stringify(ref.name ?? '')} not found`;
    return rules;
  }

  private visit(user: UserInfo, namespace: string, visitor: Visitor): void {
    const walk = (bindings: IndexedBinding[]): boolean => {
      for (const b of bindings) {
        const rules = this.rulesOf(b.roleRef ?? {}, b.namespace);
        if (typeof rules === 'string') {
          if (!visitor(undefined, rules)) return false;
          continue;
        }
        for (const rule of rules) if (!visitor(rule)) return false;
      }
      return true;
    };
    if (!walk(this.index.clusterBindingsOf(user))) return;
    if (namespace) walk(this.index.namespaceBindingsOf(user, namespace));
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
