// scheduling.k8s.io/v1 PriorityClasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY (printPriorityClass).
import type { PriorityClass } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const priorityClassTable = defineTable<PriorityClass>({
  columns: [
    nameColumn,
    { name: 'Value', type: 'integer', description: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.', cell: (p) => p.value ?? 0 },
    { name: 'Global-Default', type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.', cell: (p) => p.globalDefault ?? false },
    ageColumn,
    { name: 'PreemptionPolicy', type: 'string', description: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.', cell: (p) => p.preemptionPolicy ?? '' },
  ],
});
