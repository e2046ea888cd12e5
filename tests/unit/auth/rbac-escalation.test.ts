// The RBAC kinds' escalation checks over a real registry, for what kubectl cannot easily show:
// updates that change only what the garbage collector changes, resolution errors in the message,
// `escalate` by name (which a create, naming nothing, cannot use), dry runs, in-process writes
// (never checked) and the Status a refusal carries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../../main/apiserver/registry/registry';
import { resourceFor } from '../../../main/api/resources';
import { Authorizer } from '../../../main/apiserver/authz/authorizer';
import type { Requester } from '../../../main/apiserver/authz/escalation';
import { ApiError } from '../../../main/apiserver/status';
import { closeRegistry, openRegistry } from '../registry/fixture';

const RBAC = 'rbac.authorization.k8s.io';
const r = (plural: string) => resourceFor(RBAC, 'v1', plural)!;
const jane = { name: 'jane', groups: ['devs', 'system:authenticated'] };

let reg: Registry;
let authz: Authorizer;
/** Jane's requests: POSTs name nothing (req), PUTs and PATCHes the object (named). */
let req: Requester;
const named = (name: string): Requester => ({ ...req, requestName: name });
beforeEach(async () => {
  reg = await openRegistry();
  authz = new Authorizer(reg);
  req = { user: jane, authorizer: authz, requestName: '' };
  await reg.create(resourceFor('', 'v1', 'namespaces')!, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, {});
});
afterEach(() => {
  authz.close();
  closeRegistry();
});

const role = (name: string, rules: object[], extra: object = {}) => ({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name, ...extra }, rules });

/** Jane may write roles in shop (named ones only, if `names`). */
async function grantRoleWrites(verbs: string[], names?: string[]): Promise<void> {
  await reg.create(r('roles'), 'shop', role('role-writer', [{ apiGroups: [RBAC], resources: ['roles'], verbs, ...(names ? { resourceNames: names } : {}) }]), {});
  await reg.create(r('rolebindings'), 'shop', {
    apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'role-writer' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'role-writer' }, subjects: [{ kind: 'User', name: 'jane' }],
  }, {});
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('the write was not refused');
}

const SECRETS = { apiGroups: [''], resources: ['secrets'], verbs: ['get'] };

describe('RBAC escalation checks in the registry', () => {
  it('a refusal is 403 Forbidden with the role named in its details; dry runs are checked; in-process writes are not', async () => {
    const e = await refusal(reg.create(r('roles'), 'shop', role('s', [SECRETS]), { requester: req, dryRun: true }));
    expect(e.code).toBe(403);
    expect(e.toStatus()).toMatchObject({
      reason: 'Forbidden', details: { name: 's', group: RBAC, kind: 'roles' },
      message: `roles.${RBAC} "s" is forbidden: user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`,
    });
    await reg.create(r('roles'), 'shop', role('s', [SECRETS]), {});
    expect(reg.tryGet(r('roles'), 'shop', 's')).toBeDefined();
  });

  it('bindings whose roles are missing are named as resolution errors', async () => {
    await reg.create(r('clusterrolebindings'), undefined, {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'devs' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'absent' }, subjects: [{ kind: 'Group', name: 'devs' }],
    }, {});
    const e = await refusal(reg.create(r('roles'), 'shop', role('s', [SECRETS]), { requester: req }));
    expect(e.message).toMatch(/\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get"\]\}; resolution errors: \[clusterrole\.rbac\.authorization\.k8s\.io "absent" not found\]$/);
  });

  it('an update changing only ownerReferences or finalizers is not checked; any other change is', async () => {
    await grantRoleWrites(['update']);
    const stored = await reg.create(r('roles'), 'shop', role('s', [SECRETS]), {});
    const owned = structuredClone(stored.object);
    owned.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }];
    owned.metadata.finalizers = ['example.com/hold'];
    const updated = await reg.update(r('roles'), 'shop', 's', owned, { requester: named('s') });
    expect(updated.object.metadata.finalizers).toEqual(['example.com/hold']);
    const labelled = structuredClone(updated.object);
    labelled.metadata.labels = { a: 'b' };
    expect((await refusal(reg.update(r('roles'), 'shop', 's', labelled, { requester: named('s') }))).code).toBe(403);
  });

  it('escalate on a named role serves requests naming it (updates, an apply that creates), not a POST (which names none)', async () => {
    await grantRoleWrites(['create', 'update', 'patch', 'escalate'], ['s', 'u']);
    await reg.create(r('roles'), 'shop', role('s', []), {});
    const current = reg.get(r('roles'), 'shop', 's');
    await reg.update(r('roles'), 'shop', 's', { ...current, rules: [SECRETS] }, { requester: named('s') });
    const applied = await reg.patch(r('roles'), 'shop', 'u', role('u', [SECRETS]), 'apply', { requester: named('u'), fieldManager: 'jane' });
    expect(applied.created).toBe(true);
    expect((await refusal(reg.create(r('roles'), 'shop', role('u2', [SECRETS]), { requester: req }))).code).toBe(403);
  });

  it('a binding to a role of an unknown kind is an internal error, to a missing one 404', async () => {
    const binding = (kind: string) => ({
      apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: RBAC, kind, name: 'nobody' }, subjects: [{ kind: 'User', name: 'x' }],
    });
    const unknown = await refusal(reg.create(r('rolebindings'), 'shop', binding('Group'), { requester: req }));
    expect([unknown.code, unknown.message]).toEqual([500, 'Internal error occurred: unsupported role reference kind: "Group"']);
    const missing = await refusal(reg.create(r('rolebindings'), 'shop', binding('ClusterRole'), { requester: req }));
    expect([missing.code, missing.message]).toEqual([404, `clusterroles.${RBAC} "nobody" not found`]);
  });
});
