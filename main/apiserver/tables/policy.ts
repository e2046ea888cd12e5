// policy/v1 PodDisruptionBudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (printPodDisruptionBudget).
import type { PodDisruptionBudget } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

function intOrNA(v: number | string | undefined): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

export const podDisruptionBudgetTable = defineTable<PodDisruptionBudget>({
  columns: [
    nameColumn,
    { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.', cell: (p) => intOrNA(p.spec?.minAvailable) },
    { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.', cell: (p) => intOrNA(p.spec?.maxUnavailable) },
    {
      name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.',
      cell: (p) => p.status?.disruptionsAllowed ?? 0,
    },
    ageColumn,
  ],
});
