// The RBAC authorizer over a real registry: ClusterRoleBindings everywhere, RoleBindings in their
// namespace, ServiceAccount subjects defaulting to the binding's namespace, a binding to a missing
// role reported in the reason; system:masters and nodes decided before RBAC. Roles and bindings are
// read from an index kept by the store's watch: every write counts for the next decision.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../../main/apiserver/registry/registry';
import { resourceFor } from '../../../main/api/resources';
import { Authorizer } from '../../../main/apiserver/authz/authorizer';
import { bootstrapPolicy } from '../../../main/apiserver/authz/bootstrap';
import type { Attributes } from '../../../main/apiserver/authz/attributes';
import { ApiError } from '../../../main/apiserver/status';
import { closeRegistry, openRegistry } from '../registry/fixture';

const RBAC = 'rbac.authorization.k8s.io';
const r = (plural: string) => resourceFor(RBAC, 'v1', plural)!;
const robot = { name: 'system:serviceaccount:shop:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'] };

let reg: Registry;
let authz: Authorizer;
beforeEach(async () => {
  reg = await openRegistry();
  authz = new Authorizer(reg);
  await reg.create(resourceFor('', 'v1', 'namespaces')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, {});
});
afterEach(() => {
  authz.close();
  closeRegistry();
});

function attrs(verb: string, resource: string, namespace: string, user = robot): Attributes {
  return { user, verb, resourceRequest: true, path: '', group: '', version: 'v1', resource, subresource: '', namespace, name: '' };
}

async function create(plural: string, namespace: string | undefined, obj: Record<string, unknown>) {
  await reg.create(r(plural), namespace, { apiVersion: `${RBAC}/v1`, ...obj }, {});
}

describe('RBAC authorizer', () => {
  it('a RoleBinding grants in its namespace only; a ServiceAccount subject defaults to that namespace', async () => {
    expect(authz.decide(attrs('list', 'pods', 'shop')).allowed).toBe(false);
    await create('roles', 'shop', { kind: 'Role', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
    await create('rolebindings', 'shop', { kind: 'RoleBinding', metadata: { name: 'r' }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] });
    expect(authz.decide(attrs('list', 'pods', 'shop')).allowed).toBe(true);
    expect(authz.decide(attrs('list', 'pods', 'default')).allowed).toBe(false);
    expect(authz.decide(attrs('list', 'pods', '')).allowed).toBe(false);
  });

  it('a ClusterRoleBinding to a group grants everywhere; a missing role is the reason', async () => {
    await create('clusterrolebindings', undefined, { kind: 'ClusterRoleBinding', metadata: { name: 'all-sa' }, roleRef: { kind: 'ClusterRole', name: 'absent' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] });
    expect(authz.decide(attrs('get', 'secrets', 'default'))).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "absent" not found' });
    const err = (() => { try { authz.authorize(attrs('get', 'secrets', 'default')); } catch (e) { return e; } })();
    expect((err as ApiError).message).toBe('secrets is forbidden: User "system:serviceaccount:shop:robot" cannot get resource "secrets" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "absent" not found');
    await create('clusterroles', undefined, { kind: 'ClusterRole', metadata: { name: 'absent' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] });
    expect(authz.decide(attrs('get', 'secrets', 'default')).allowed).toBe(true);
  });

  it('system:masters may do anything; a node only what the node authorizer allows', () => {
    expect(authz.decide(attrs('delete', 'nodes', '', { name: 'admin', groups: ['system:masters'] })).allowed).toBe(true);
    const node = { name: 'system:node:n1', groups: ['system:nodes'], node: 'n1' };
    expect(authz.decide({ ...attrs('update', 'nodes', '', node), name: 'n1' }).allowed).toBe(true);
    // NodeRules let a node update any Node; NodeRestriction admission keeps it to its own (node-authorizer.test.ts).
    expect(authz.decide({ ...attrs('update', 'nodes', '', node), name: 'n2' }).allowed).toBe(true);
    expect(authz.decide({ ...attrs('update', 'services', 'shop', node), name: 'web' }).allowed).toBe(false);
    // A token only for an account a pod bound to the node runs as (node-authorizer.test.ts has the graph).
    expect(authz.decide({ ...attrs('create', 'serviceaccounts', 'shop', node), subresource: 'token', name: 'robot' }))
      .toEqual({ allowed: false, reason: "no relationship found between node 'n1' and this object" });
    expect(authz.rulesFor(node, 'shop').incomplete).toBe(true);
    // A user named as a node in system:nodes is one (a SubjectAccessReview's user has no node field).
    const reviewed = { name: 'system:node:n1', groups: ['system:nodes'] };
    expect(authz.decide({ ...attrs('get', 'secrets', 'shop', reviewed), name: 's' })).toEqual({ allowed: false, reason: "no relationship found between node 'n1' and this object" });
    expect(authz.decide({ ...attrs('update', 'nodes', '', reviewed), name: 'n1' }).allowed).toBe(true);
  });

  it('every write of a binding or role counts for the next decision (the index follows the store)', async () => {
    const get = attrs('get', 'configmaps', 'shop');
    await create('roles', 'shop', { kind: 'Role', metadata: { name: 'cm' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
    await create('rolebindings', 'shop', { kind: 'RoleBinding', metadata: { name: 'cm' }, roleRef: { kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] });
    expect(authz.decide(get).allowed).toBe(true);
    // The subjects change: the binding is refiled.
    await reg.mutate(r('rolebindings'), 'shop', 'cm', (b) => {
      (b as unknown as { subjects: object[] }).subjects = [{ kind: 'User', name: 'jane' }];
    });
    expect(authz.decide(get).allowed).toBe(false);
    expect(authz.decide(attrs('get', 'configmaps', 'shop', { name: 'jane', groups: [] })).allowed).toBe(true);
    // The role's rules change, then the role goes.
    await reg.mutate(r('roles'), 'shop', 'cm', (role) => {
      (role as unknown as { rules: object[] }).rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }];
    });
    expect(authz.decide(attrs('get', 'configmaps', 'shop', { name: 'jane', groups: [] })).allowed).toBe(false);
    await reg.delete(r('roles'), 'shop', 'cm', {});
    expect(authz.decide(attrs('list', 'configmaps', 'shop', { name: 'jane', groups: [] }))).toEqual({ allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "cm" not found' });
    await reg.delete(r('rolebindings'), 'shop', 'cm', {});
    expect(authz.decide(attrs('list', 'configmaps', 'shop', { name: 'jane', groups: [] }))).toEqual({ allowed: false, reason: '' });
  });

  it('a binding naming the user twice (as user and by group) counts once; bindings come in name order', async () => {
    await create('clusterroles', undefined, { kind: 'ClusterRole', metadata: { name: 'a' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    await create('clusterroles', undefined, { kind: 'ClusterRole', metadata: { name: 'b' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] });
    const both = [{ kind: 'ServiceAccount', name: 'robot', namespace: 'shop' }, { kind: 'Group', name: 'system:serviceaccounts' }];
    await create('clusterrolebindings', undefined, { kind: 'ClusterRoleBinding', metadata: { name: 'z-b' }, roleRef: { kind: 'ClusterRole', name: 'b' }, subjects: both });
    await create('clusterrolebindings', undefined, { kind: 'ClusterRoleBinding', metadata: { name: 'y-a' }, roleRef: { kind: 'ClusterRole', name: 'a' }, subjects: both });
    const rules = authz.rulesFor(robot, 'shop').resourceRules.filter((rule) => rule.resources?.[0] === 'pods' || rule.resources?.[0] === 'nodes');
    expect(rules.map((rule) => rule.resources)).toEqual([['pods'], ['nodes']]);
  });

  it('SelfSubjectRulesReview: masters get their rules from RBAC (cluster-admin and the authenticated roles); a node is incomplete', async () => {
    await bootstrapPolicy(reg);
    const admin = authz.rulesFor({ name: 'admin', groups: ['system:masters', 'system:authenticated'] }, 'default');
    expect(admin.resourceRules[0]).toEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: undefined });
    expect(admin.nonResourceRules).toContainEqual({ verbs: ['*'], nonResourceURLs: ['*'] });
    expect(admin.resourceRules).toContainEqual(expect.objectContaining({ resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] }));
    const node = authz.rulesFor({ name: 'system:node:n1', groups: ['system:nodes'], node: 'n1' }, 'shop');
    expect(node).toEqual({ resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' });
  });
});
