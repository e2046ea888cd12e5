// The four RBAC kinds' writes by users (Kubernetes' role, clusterrole, rolebinding and
// clusterrolebinding policybased storage): no one grants, through a role or a binding, permissions
// they do not hold — unless allowed to `escalate` roles or to `bind` the role. In-process writes
// (controllers, the UI) and system:masters are trusted.
import type { ClusterRole, ClusterRoleBinding, KObject, Role, RoleBinding, RoleRef, StoredObject } from '../../../api/types';
import type { Requester } from '../../authz/escalation';
import { FULL_AUTHORITY, confirmBinding, confirmNoEscalation, escalationAllowed, escalationError, RBAC_GROUP, roleEscalationAuthorized } from '../../authz/escalation';
import { errors } from '../../status';
import { clone, deepEqual } from '../objects';
import type { Strategy } from '../strategy';

/**
 * IsOnlyMutatingGCFields: the update changes nothing but what the garbage collector changes
 * (ownerReferences, finalizers; managedFields and resourceVersion follow any write).
 */
export function onlyGCFieldsChange(next: KObject, old: StoredObject): boolean {
  const copy = clone(next);
  const m = (copy.metadata ??= {});
  const o = old.metadata;
  m.ownerReferences = o.ownerReferences;
  m.finalizers = o.finalizers;
  m.managedFields = o.managedFields;
  m.resourceVersion = o.resourceVersion;
  return deepEqual(copy, old);
}

function namespaceOf(obj: KObject): string {
  return obj.metadata?.namespace ?? '';
}

function nameOf(obj: KObject): string {
  return obj.metadata?.name ?? '';
}

/** Neither masters nor `escalate` on the role (named as the request names it: a create names none). */
function mustConfirmRole(req: Requester, resource: 'roles' | 'clusterroles', obj: KObject, old: StoredObject | undefined): boolean {
  if (escalationAllowed(req.user)) return false;
  if (roleEscalationAuthorized(req, resource, namespaceOf(obj))) return false;
  return !(old && onlyGCFieldsChange(obj, old));
}

function hasAggregationRule(role: ClusterRole | undefined): boolean {
  return Boolean(role?.aggregationRule?.clusterRoleSelectors?.length);
}

const roleStrategy: Strategy = {
  checkRequester(obj, old, req) {
    if (!mustConfirmRole(req, 'roles', obj, old)) return;
    confirmNoEscalation(req, 'roles', nameOf(obj), namespaceOf(obj), (obj as Role).rules ?? []);
  },
};

const clusterRoleStrategy: Strategy = {
  checkRequester(obj, old, req) {
    if (!mustConfirmRole(req, 'clusterroles', obj, old)) return;
    confirmNoEscalation(req, 'clusterroles', nameOf(obj), '', (obj as ClusterRole).rules ?? []);
    // An aggregationRule can gather anything (and keep a role from being tightened): setting, changing
    // or dropping one takes every permission.
    if ((hasAggregationRule(obj as ClusterRole) || hasAggregationRule(old as ClusterRole | undefined)) && escalationError(req, '', FULL_AUTHORITY) !== undefined) {
      throw errors.forbidden(RBAC_GROUP, 'clusterroles', nameOf(obj), 'must have cluster-admin privileges to use the aggregationRule');
    }
  },
};

function bindingStrategy(resource: 'rolebindings' | 'clusterrolebindings'): Strategy {
  return {
    checkRequester(obj, old, req) {
      if (escalationAllowed(req.user)) return;
      if (old && onlyGCFieldsChange(obj, old)) return;
      const ref: RoleRef = (obj as Partial<RoleBinding | ClusterRoleBinding>).roleRef ?? { apiGroup: '', kind: '', name: '' };
      confirmBinding(req, resource, nameOf(obj), resource === 'rolebindings' ? namespaceOf(obj) : '', ref);
    },
  };
}

export const RBAC_STRATEGIES: ReadonlyArray<[string, string, Strategy]> = [
  [RBAC_GROUP, 'roles', roleStrategy],
  [RBAC_GROUP, 'clusterroles', clusterRoleStrategy],
  [RBAC_GROUP, 'rolebindings', bindingStrategy('rolebindings')],
  [RBAC_GROUP, 'clusterrolebindings', bindingStrategy('clusterrolebindings')],
];
