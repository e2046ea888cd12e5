// RBAC's escalation prevention with the real kubectl against a real Flotilla API server, as a
// service account (its token): a Role or ClusterRole with rules the account does not hold is 403
// with Kubernetes' message until it may `escalate`; a binding to a role it does not fully hold is
// 403 until it may `bind` that role (by name); an aggregationRule takes every permission. A change
// of bindings decides the very next request, and `auth can-i --list` shows aggregated roles' rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;
let token: string;

const SA = 'system:serviceaccount:team:manager';
const GROUPS = '(groups=["system:serviceaccounts" "system:serviceaccounts:team" "system:authenticated"])';
const NOT_HELD = 'is attempting to grant RBAC permissions not currently held:';

const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input });
/** kubectl as the team/manager service account. */
const as = (args: string[], input?: string) => c.kubectl(args, { token, input });

beforeAll(async () => {
  c = await startTestCluster({ controllers: { scheduler: false } });
  await ok(['create', 'namespace', 'team']);
  await ok(['create', 'serviceaccount', 'manager', '-n', 'team']);
  token = (await ok(['create', 'token', 'manager', '-n', 'team'])).trim();
  // The manager may read pods and write roles and rolebindings in team; nothing else.
  await ok(['create', 'role', 'manager', '-n', 'team', '--verb', 'get,list,watch', '--resource', 'pods']);
  await ok(['apply', '-f', '-'], `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rbac-writer, namespace: team}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [create, get, list, patch, update, delete]
`);
  await ok(['create', 'rolebinding', 'manager', '-n', 'team', '--role', 'manager', '--serviceaccount', 'team:manager']);
  await ok(['create', 'rolebinding', 'rbac-writer', '-n', 'team', '--role', 'rbac-writer', '--serviceaccount', 'team:manager']);
});
afterAll(async () => {
  await c?.stop();
});

describe('RBAC escalation prevention with kubectl and a service-account token', () => {
  it('a Role with rules the user holds is created; one with more is 403 with the rules it lacks', async () => {
    expect((await as(['create', 'role', 'reader', '-n', 'team', '--verb', 'get,list', '--resource', 'pods'])).stdout).toBe('role.rbac.authorization.k8s.io/reader created\n');
    const denied = await as(['create', 'role', 'deleter', '-n', 'team', '--verb', 'get,delete,deletecollection', '--resource', 'pods,secrets']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(`Error from server (Forbidden): roles.rbac.authorization.k8s.io "deleter" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}
{APIGroups:[""], Resources:["pods"], Verbs:["delete" "deletecollection"]}
{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete" "deletecollection"]}
`);
    expect((await c.kubectl(['get', 'role', 'deleter', '-n', 'team'])).code).toBe(1);
  });

  it('an update (patch) adding rules not held is 403; a label change of a role within reach is not', async () => {
    const patch = '[{"op":"add","path":"/rules/-","value":{"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"],"verbs":["get"]}}]';
    const denied = await as(['patch', 'role', 'reader', '-n', 'team', '--type', 'json', '-p', patch]);
    expect(denied.stderr).toBe(`Error from server (Forbidden): roles.rbac.authorization.k8s.io "reader" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}
{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}
`);
    expect((await as(['label', 'role', 'reader', '-n', 'team', 'tier=read'])).stdout).toBe('role.rbac.authorization.k8s.io/reader labeled\n');
  });

  it('the escalate verb on roles lets the user write any rules', async () => {
    await ok(['create', 'role', 'escalator', '-n', 'team', '--verb', 'escalate', '--resource', 'roles.rbac.authorization.k8s.io']);
    await ok(['create', 'rolebinding', 'escalator', '-n', 'team', '--role', 'escalator', '--serviceaccount', 'team:manager']);
    expect((await as(['create', 'role', 'deleter', '-n', 'team', '--verb', 'delete', '--resource', 'pods,secrets'])).stdout).toBe('role.rbac.authorization.k8s.io/deleter created\n');
    await ok(['delete', 'rolebinding', 'escalator', '-n', 'team']);
    // The grant is gone for the very next request.
    const again = await as(['create', 'role', 'deleter2', '-n', 'team', '--verb', 'delete', '--resource', 'pods']);
    expect(again.stderr).toContain(`roles.rbac.authorization.k8s.io "deleter2" is forbidden: user "${SA}"`);
  });

  it('a RoleBinding to a role whose rules the user lacks is 403, unless it may bind that role (by name)', async () => {
    // reader's rules are all held: binding it is allowed.
    expect((await as(['create', 'rolebinding', 'readers', '-n', 'team', '--role', 'reader', '--group', 'auditors'])).code).toBe(0);
    const denied = await as(['create', 'rolebinding', 'deleters', '-n', 'team', '--role', 'deleter', '--group', 'auditors']);
    expect(denied.stderr).toBe(`error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "deleters" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}
{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}
{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}
`);
    // The aggregated ClusterRole view is covered like any other: its rules are what the aggregation wrote.
    const view = await as(['create', 'rolebinding', 'viewers', '-n', 'team', '--clusterrole', 'view', '--group', 'auditors']);
    expect(view.stderr).toMatch(/^error: failed to create rolebinding: rolebindings\.rbac\.authorization\.k8s\.io "viewers" is forbidden: user .* is attempting to grant RBAC permissions not currently held:\n/);
    expect(view.stderr).toContain('{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list" "watch"]}');
    await ok(['apply', '-f', '-'], `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: binder, namespace: team}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  resourceNames: [view]
  verbs: [bind]
`);
    await ok(['create', 'rolebinding', 'binder', '-n', 'team', '--role', 'binder', '--serviceaccount', 'team:manager']);
    expect((await as(['create', 'rolebinding', 'viewers', '-n', 'team', '--clusterrole', 'view', '--group', 'auditors'])).code).toBe(0);
    const edit = await as(['create', 'rolebinding', 'editors', '-n', 'team', '--clusterrole', 'edit', '--group', 'auditors']);
    expect(edit.stderr).toContain('rolebindings.rbac.authorization.k8s.io "editors" is forbidden');
    const missing = await as(['create', 'rolebinding', 'ghosts', '-n', 'team', '--role', 'ghost', '--group', 'auditors']);
    expect(missing.stderr).toBe('error: failed to create rolebinding: roles.rbac.authorization.k8s.io "ghost" not found\n');
    // Changing an existing binding's subjects is checked the same way.
    const subjects = '[{"op":"add","path":"/subjects/-","value":{"kind":"User","name":"mallory","apiGroup":"rbac.authorization.k8s.io"}}]';
    await ok(['create', 'rolebinding', 'deleter-binding', '-n', 'team', '--role', 'deleter', '--group', 'auditors']);
    const patched = await as(['patch', 'rolebinding', 'deleter-binding', '-n', 'team', '--type', 'json', '-p', subjects]);
    expect(patched.stderr).toContain(`rolebindings.rbac.authorization.k8s.io "deleter-binding" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}`);
  });

  it('a ClusterRole and ClusterRoleBinding are checked against cluster-wide rules; an aggregationRule needs everything', async () => {
    await ok(['create', 'clusterrole', 'crole-writer', '--verb', 'create,get,update,patch', '--resource', 'clusterroles.rbac.authorization.k8s.io,clusterrolebindings.rbac.authorization.k8s.io']);
    await ok(['create', 'clusterrolebinding', 'crole-writer', '--clusterrole', 'crole-writer', '--serviceaccount', 'team:manager']);
    // pods are held in team only, not cluster-wide.
    const pods = await as(['create', 'clusterrole', 'pod-reader', '--verb', 'get', '--resource', 'pods']);
    expect(pods.stderr).toBe(`Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "pod-reader" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}
{APIGroups:[""], Resources:["pods"], Verbs:["get"]}
`);
    const held = await as(['create', 'clusterrole', 'crole-reader', '--verb', 'get', '--resource', 'clusterroles.rbac.authorization.k8s.io']);
    expect(held.code).toBe(0);
    const agg = await as(['create', 'clusterrole', 'gatherer', '--aggregation-rule', 'team=gathered']);
    expect(agg.stderr).toBe('Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io "gatherer" is forbidden: must have cluster-admin privileges to use the aggregationRule\n');
    const crb = await as(['create', 'clusterrolebinding', 'all-view', '--clusterrole', 'view', '--group', 'auditors']);
    expect(crb.stderr).toContain(`clusterrolebindings.rbac.authorization.k8s.io "all-view" is forbidden: user "${SA}" ${GROUPS} ${NOT_HELD}`);
    expect((await as(['create', 'clusterrolebinding', 'crole-readers', '--clusterrole', 'crole-reader', '--group', 'auditors'])).code).toBe(0);
  });

  it('the admin (system:masters) is never checked', async () => {
    expect(await ok(['create', 'rolebinding', 'admins', '-n', 'team', '--clusterrole', 'cluster-admin', '--group', 'auditors'])).toBe('rolebinding.rbac.authorization.k8s.io/admins created\n');
    expect(await ok(['create', 'clusterrole', 'gatherer', '--aggregation-rule', 'team=gathered'])).toBe('clusterrole.rbac.authorization.k8s.io/gatherer created\n');
  });

  it('grant → allowed and delete binding → 403 on the very next request', async () => {
    expect((await as(['get', 'secrets', '-n', 'team'])).stderr).toContain('secrets is forbidden: User "system:serviceaccount:team:manager" cannot list resource "secrets"');
    await ok(['create', 'role', 'secrets', '-n', 'team', '--verb', 'list', '--resource', 'secrets']);
    await ok(['create', 'rolebinding', 'secrets', '-n', 'team', '--role', 'secrets', '--serviceaccount', 'team:manager']);
    expect((await as(['get', 'secrets', '-n', 'team'])).code).toBe(0);
    await ok(['delete', 'rolebinding', 'secrets', '-n', 'team']);
    expect((await as(['get', 'secrets', '-n', 'team'])).code).toBe(1);
    // A role's rules changing takes effect as immediately.
    await ok(['create', 'rolebinding', 'secrets', '-n', 'team', '--role', 'secrets', '--serviceaccount', 'team:manager']);
    expect((await as(['get', 'secrets', '-n', 'team'])).code).toBe(0);
    await ok(['patch', 'role', 'secrets', '-n', 'team', '--type', 'merge', '-p', '{"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]}']);
    expect((await as(['get', 'secrets', '-n', 'team'])).code).toBe(1);
  });

  it('auth can-i --list shows the rules of an aggregated ClusterRole, following its aggregation', async () => {
    await ok(['create', 'clusterrole', 'team-gatherer', '--aggregation-rule', 'team/gather=true']);
    await ok(['create', 'rolebinding', 'gathered', '-n', 'team', '--clusterrole', 'team-gatherer', '--serviceaccount', 'team:manager']);
    await ok(['create', 'clusterrole', 'gather-configmaps', '--verb', 'get,list', '--resource', 'configmaps']);
    await ok(['label', 'clusterrole', 'gather-configmaps', 'team/gather=true']);
    await waitFor(async () => /\nconfigmaps\s+\[\]\s+\[\]\s+\[get list\]\n/.test((await as(['auth', 'can-i', '--list', '-n', 'team'])).stdout), 'configmaps aggregated into team-gatherer', 10_000);
    expect((await as(['auth', 'can-i', 'list', 'configmaps', '-n', 'team'])).stdout).toBe('yes\n');
    await ok(['label', 'clusterrole', 'gather-configmaps', 'team/gather-']);
    await waitFor(async () => !(await as(['auth', 'can-i', '--list', '-n', 'team'])).stdout.includes('configmaps'), 'configmaps no longer aggregated', 10_000);
    expect((await as(['auth', 'can-i', 'list', 'configmaps', '-n', 'team'])).stdout).toBe('no\n');
  });
});
