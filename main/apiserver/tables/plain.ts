// Kinds whose cells are plain fields: Namespaces (NAME STATUS AGE), ConfigMaps (NAME DATA AGE),
// Secrets (NAME TYPE DATA AGE), Leases (NAME HOLDER AGE).
import type { ConfigMap, Lease, Namespace, Secret } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const namespaceTable = defineTable<Namespace>({
  columns: [
    nameColumn,
    // Namespace creation always sets phase Active; an unset phase shows what the server would have set.
    { name: 'Status', type: 'string', description: 'The status of the namespace', cell: (ns) => ns.status?.phase || 'Active' },
    ageColumn,
  ],
});

export const configMapTable = defineTable<ConfigMap>({
  columns: [
    nameColumn,
    // DATA counts data and binaryData keys.
    { name: 'Data', type: 'string', description: 'Data contains the configuration data.', cell: (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length },
    ageColumn,
  ],
});

export const secretTable = defineTable<Secret>({
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'Used to facilitate programmatic handling of secret data.', cell: (s) => s.type ?? '' },
    { name: 'Data', type: 'string', description: 'Data contains the secret data.', cell: (s) => Object.keys(s.data ?? {}).length },
    ageColumn,
  ],
});

export const leaseTable = defineTable<Lease>({
  columns: [
    nameColumn,
    { name: 'Holder', type: 'string', description: 'holderIdentity contains the identity of the holder of a current lease.', cell: (l) => l.spec?.holderIdentity ?? '' },
    ageColumn,
  ],
});
