// The ServiceAccount admission plugin on a real registry: the account must exist (Kubernetes' 403),
// serviceAccountName defaults to default (serviceAccount mirrors it), and the kube-api-access token
// volume is mounted read-only in every container and init container unless automount is off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../../main/apiserver/registry/registry';
import { ApiError } from '../../../main/apiserver/status';
import { resourceFor } from '../../../main/api/resources';
import type { Pod } from '../../../main/api/types';
import { closeRegistry, openRegistry } from '../registry/fixture';

const SA = resourceFor('', 'v1', 'serviceaccounts')!;
const PODS = resourceFor('', 'v1', 'pods')!;
const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

let reg: Registry;
beforeEach(async () => {
  reg = await openRegistry({ admission: true });
  await reg.create(SA, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }, {});
});
afterEach(() => closeRegistry());

async function create(spec: Record<string, unknown>, meta: Record<string, unknown> = { name: 'web' }): Promise<Pod> {
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } };
  return (await reg.create(PODS, 'default', body, {})).object as Pod;
}

describe('ServiceAccount admission', () => {
  it('defaults the account to default and mounts the projected token volume', async () => {
    const p = await create({ initContainers: [{ name: 'init', image: 'busybox' }] });
    expect(p.spec?.serviceAccountName).toBe('default');
    expect(p.spec?.serviceAccount).toBe('default');
    const vol = p.spec?.volumes?.[0];
    expect(vol?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(vol?.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])]) {
      expect(c.volumeMounts).toEqual([{ name: vol!.name, readOnly: true, mountPath: MOUNT }]);
    }
  });

  it('records the request\'s managed fields before admission: the token volume and mounts belong to no manager', async () => {
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'owned' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
    const p = (await reg.create(PODS, 'default', body, { fieldManager: 'kubectl-create' })).object as Pod;
    expect(p.spec?.volumes?.[0]?.name).toMatch(/^kube-api-access-/);
    const entries = p.metadata?.managedFields ?? [];
    expect(entries.map((e) => e.manager)).toEqual(['kubectl-create']);
    const fields = JSON.stringify(entries[0]?.fieldsV1);
    expect(fields).toContain('"f:image"');
    expect(fields).not.toContain('f:volumes');
    expect(fields).not.toContain('f:volumeMounts');
  });

  it('refuses a pod whose account does not exist, naming it by generateName before a name is made', async () => {
    const err = await create({ serviceAccountName: 'ghost' }, { generateName: 'web-' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(403);
    expect((err as ApiError).message).toBe('pods "web-" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
    const viaDeprecated = await create({ serviceAccount: 'ghost' }).catch((e: unknown) => e);
    expect((viaDeprecated as ApiError).message).toBe('pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  });

  it('mounts nothing when the pod or its account turns automount off; keeps a mount already at the path', async () => {
    expect((await create({ automountServiceAccountToken: false })).spec?.volumes).toBeUndefined();
    await reg.create(SA, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false }, {});
    expect((await create({ serviceAccountName: 'quiet' }, { name: 'q' })).spec?.volumes).toBeUndefined();
    const own = await create({
      volumes: [{ name: 'mine', emptyDir: {} }],
      containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'mine', mountPath: MOUNT }] }],
    }, { name: 'own' });
    expect(own.spec?.volumes?.map((v) => v.name)).toEqual(['mine']);
  });
});
