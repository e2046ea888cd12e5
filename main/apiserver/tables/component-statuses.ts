// ComponentStatuses (`kubectl get cs`): NAME STATUS MESSAGE ERROR, as the API server's printer. STATUS is Healthy when
// the Healthy condition is True, Unhealthy when it is not, Unknown without one; MESSAGE and ERROR are that condition's.
import type { ComponentCondition, ComponentStatus } from '../../api/types';
import { nameColumn } from './columns';
import { defineTable } from './define';

const healthy = (cs: ComponentStatus): ComponentCondition | undefined => cs.conditions?.find((c) => c.type === 'Healthy');

export const componentStatusTable = defineTable<ComponentStatus>({
  columns: [
    nameColumn,
    {
      name: 'Status', type: 'string', description: 'Status of the component conditions',
      cell: (cs) => { const c = healthy(cs); return c ? (c.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown'; },
    },
    { name: 'Message', type: 'string', description: 'Message of the component conditions', cell: (cs) => healthy(cs)?.message ?? '' },
    { name: 'Error', type: 'string', description: 'Error of the component conditions', cell: (cs) => healthy(cs)?.error ?? '' },
  ],
});
