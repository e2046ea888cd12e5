// ServiceAccounts (NAME SECRETS AGE) and the RBAC kinds: Roles and ClusterRoles (NAME CREATED AT),
// RoleBindings and ClusterRoleBindings (NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS), as
// Kubernetes' printers print them.
import type { ClusterRoleBinding, ObjectMeta, RoleBinding, ServiceAccount, Subject } from '../../api/types';
import { ageColumn, createdAtColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const serviceAccountTable = defineTable<ServiceAccount>({
  columns: [
    nameColumn,
    { name: 'Secrets', type: 'string', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', cell: (sa) => (sa.secrets ?? []).length },
    ageColumn,
  ],
});

export const roleTable = defineTable<{ metadata?: ObjectMeta }>({ columns: [nameColumn, createdAtColumn] });

/** rbac.SubjectsStrings: users, groups and namespace/name of service accounts. */
function subjectsOf(kind: Subject['kind'], subjects: readonly Subject[] | undefined): string {
  return (subjects ?? []).filter((s) => s.kind === kind).map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');
}

function bindingTable(what: 'roleBinding' | 'clusterRoleBinding') {
  return defineTable<RoleBinding | ClusterRoleBinding>({
    columns: [
      nameColumn,
      { name: 'Role', type: 'string', description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.', cell: (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}` },
      ageColumn,
      { name: 'Users', type: 'string', priority: 1, description: `Users in the ${what}`, cell: (b) => subjectsOf('User', b.subjects) },
      { name: 'Groups', type: 'string', priority: 1, description: `Groups in the ${what}`, cell: (b) => subjectsOf('Group', b.subjects) },
      { name: 'ServiceAccounts', type: 'string', priority: 1, description: `ServiceAccounts in the ${what}`, cell: (b) => subjectsOf('ServiceAccount', b.subjects) },
    ],
  });
}

export const roleBindingTable = bindingTable('roleBinding');
export const clusterRoleBindingTable = bindingTable('clusterRoleBinding');
