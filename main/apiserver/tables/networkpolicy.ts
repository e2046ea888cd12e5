// networking.k8s.io/v1 NetworkPolicies: NAME POD-SELECTOR AGE (printNetworkPolicy).
import type { NetworkPolicy } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { formatLabelSelector } from './selector';

export const networkPolicyTable = defineTable<NetworkPolicy>({
  columns: [
    nameColumn,
    {
      name: 'Pod-Selector', type: 'string', description: 'Selects the pods to which this NetworkPolicy object applies.',
      cell: (p) => formatLabelSelector(p.spec?.podSelector),
    },
    ageColumn,
  ],
});
