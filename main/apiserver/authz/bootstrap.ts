// The RBAC bootstrap (the API server's rbac/bootstrap-roles post-start hook): creates each default
// ClusterRole and ClusterRoleBinding that is missing (and kube-system's default Roles). One whose autoupdate annotation is "true" gets
// the default rules (or aggregation rule) and subjects back; an administrator's other changes stay.
import { resourceFor } from '../../api/resources';
import type { KObject } from '../../api/types';
import type { Registry } from '../registry/registry';
import { deepEqual } from '../registry/objects';
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, KUBE_SYSTEM_ROLES } from './bootstrap-policy';

const RBAC = 'rbac.authorization.k8s.io';
const AUTOUPDATE = 'rbac.authorization.kubernetes.io/autoupdate';
const MANAGER = { fieldManager: 'flotilla-bootstrap' };

async function reconcile(registry: Registry, plural: string, objects: readonly KObject[], fields: string[]): Promise<void> {
  const r = resourceFor(RBAC, 'v1', plural)!;
  for (const want of objects) {
    const name = want.metadata!.name!;
    const namespace = want.metadata!.namespace;
    const have = registry.tryGet(r, namespace, name);
    if (!have) {
      await registry.create(r, namespace, structuredClone(want), MANAGER);
      continue;
    }
    if (have.metadata.annotations?.[AUTOUPDATE] === 'false') continue;
    // Aggregated roles' rules belong to the aggregation controller.
    const owned = fields.filter((f) => !(f === 'rules' && want.aggregationRule));
    if (owned.every((f) => deepEqual(have[f], want[f]))) continue;
    await registry.mutate(r, namespace, name, (obj) => {
      for (const f of owned) {
        if (want[f] === undefined) delete obj[f];
        else obj[f] = structuredClone(want[f]);
      }
    }, MANAGER);
  }
}

export async function bootstrapPolicy(registry: Registry): Promise<void> {
  await reconcile(registry, 'clusterroles', CLUSTER_ROLES as unknown as KObject[], ['rules', 'aggregationRule']);
  // roleRef is immutable: only the subjects are put back.
  await reconcile(registry, 'clusterrolebindings', CLUSTER_ROLE_BINDINGS as unknown as KObject[], ['subjects']);
  await reconcile(registry, 'roles', KUBE_SYSTEM_ROLES as unknown as KObject[], ['rules']);
}
