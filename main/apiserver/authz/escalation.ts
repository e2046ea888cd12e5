// RBAC's privilege-escalation prevention (pkg/registry/rbac: escalation_check.go and
// validation.ConfirmNoEscalation): a user may write a Role or ClusterRole only with rules it already
// holds, or with the `escalate` verb on it, and bind a role only if it holds all of the role's
// rules, or has the `bind` verb on it. Members of system:masters are trusted.
import type { PolicyRule, RoleRef } from '../../api/types';
import { errors } from '../status';
import { goQuote } from '../../api/validation/gofmt';
import type { Attributes, UserInfo } from './attributes';
import { MASTERS, type Authorizer } from './authorizer';
import { compactRules, compactString, covers, goQuoteList } from './covers';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Who writes, and the authorizer that decides for them: what an RBAC kind's strategy checks a write against. */
export interface Requester {
  user: UserInfo;
  authorizer: Authorizer;
  /** The name on the request's URL: empty for a create (POST), the object's for PUT and PATCH (apply creating it too). */
  requestName: string;
}

/** Everything, resources and URLs: what setting an aggregationRule needs (it can gather any rule). */
export const FULL_AUTHORITY: readonly PolicyRule[] = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
];

/** EscalationAllowed: system:masters may grant anything. */
export function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes(MASTERS);
}

function allowed(req: Requester, a: Omit<Attributes, 'user' | 'resourceRequest' | 'path' | 'version' | 'subresource'>): boolean {
  return req.authorizer.decide({ ...a, user: req.user, resourceRequest: true, path: '', version: '*', subresource: '' }).allowed;
}

/** RoleEscalationAuthorized: the `escalate` verb on the roles or clusterroles written, named as the request names them. */
export function roleEscalationAuthorized(req: Requester, resource: 'roles' | 'clusterroles', namespace: string): boolean {
  return allowed(req, { verb: 'escalate', group: RBAC_GROUP, resource, namespace, name: req.requestName });
}

/** BindingAuthorized: the `bind` verb on the referenced role, in the binding's namespace ('' for a ClusterRoleBinding). */
export function bindingAuthorized(req: Requester, ref: RoleRef, namespace: string): boolean {
  const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : undefined;
  if (!resource) return false;
  return allowed(req, { verb: 'bind', group: ref.apiGroup ?? '', resource, namespace, name: ref.name ?? '' });
}

/**
 * ConfirmNoEscalation: undefined if the user's RBAC rules in `namespace` ('' for cluster-wide) cover
 * `rules`; otherwise Kubernetes' message naming the rules it lacks, compacted, sorted, one a line.
 */
export function escalationError(req: Requester, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const own = req.authorizer.rbac.rulesFor(req.user, namespace);
  const { covered, missing } = covers(own.rules, rules);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${goQuote(req.user.name)} (groups=${goQuoteList(req.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  // fmt's %v of []error{aggregate}: the aggregate prints one error as is, several as [a, b].
  if (own.errors.length) msg += `; resolution errors: [${own.errors.length === 1 ? own.errors[0] : `[${own.errors.join(', ')}]`}]`;
  return msg;
}

/** 403 on `resource` "name" unless the user holds `rules` in `namespace`. */
export function confirmNoEscalation(req: Requester, resource: string, name: string, namespace: string, rules: readonly PolicyRule[]): void {
  const msg = escalationError(req, namespace, rules);
  if (msg !== undefined) throw errors.forbidden(RBAC_GROUP, resource, name, msg);
}

/**
 * The rules of the role a binding references (GetRoleReferenceRules over the roles' storage): a
 * missing role is the storage's 404, a kind other than Role or ClusterRole an internal error.
 */
export function roleReferenceRules(req: Requester, ref: RoleRef, namespace: string): PolicyRule[] {
  if (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') throw errors.internal(`unsupported role reference kind: ${goQuote(ref.kind ?? '')}`);
  const rules = req.authorizer.rbac.roleRules(ref.kind, ref.kind === 'Role' ? namespace : '', ref.name ?? '');
  if (!rules) throw errors.notFound(RBAC_GROUP, ref.kind === 'Role' ? 'roles' : 'clusterroles', ref.name ?? '');
  return rules;
}

/** A binding write: allowed with `bind` on the role, else only if the user holds every rule of it. */
export function confirmBinding(req: Requester, resource: 'rolebindings' | 'clusterrolebindings', name: string, namespace: string, ref: RoleRef): void {
  if (bindingAuthorized(req, ref, namespace)) return;
  confirmNoEscalation(req, resource, name, namespace, roleReferenceRules(req, ref, namespace));
}
