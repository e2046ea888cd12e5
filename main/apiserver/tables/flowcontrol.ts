// flowcontrol.apiserver.k8s.io/v1 as kubectl prints it: FlowSchemas NAME PRIORITYLEVEL MATCHINGPRECEDENCE
// DISTINGUISHERMETHOD AGE MISSINGPL; PriorityLevelConfigurations NAME TYPE NOMINALCONCURRENCYSHARES QUEUES HANDSIZE
// QUEUELENGTHLIMIT AGE (`<none>` where a level has no such setting).
import type { FlowSchema, PriorityLevelConfiguration } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

export const flowSchemaTable = defineTable<FlowSchema>({
  columns: [
    nameColumn,
    { name: 'PriorityLevel', type: 'string', description: 'name of the PriorityLevelConfiguration this FlowSchema refers to', cell: (f) => f.spec?.priorityLevelConfiguration.name ?? '' },
    { name: 'MatchingPrecedence', type: 'string', description: 'matchingPrecedence of this FlowSchema', cell: (f) => f.spec?.matchingPrecedence ?? 0 },
    { name: 'DistinguisherMethod', type: 'string', description: 'distinguisherMethod of this FlowSchema', cell: (f) => f.spec?.distinguisherMethod?.type ?? '*' },
    ageColumn,
    {
      name: 'MissingPL', type: 'string', description: 'references a broken or non-existent PriorityLevelConfiguration',
      cell: (f) => f.status?.conditions?.find((c) => c.type === 'Dangling')?.status ?? '?',
    },
  ],
});

const NONE = '<none>';

export const priorityLevelConfigurationTable = defineTable<PriorityLevelConfiguration>({
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'type of this priority level configuration', cell: (p) => p.spec?.type ?? '' },
    { name: 'NominalConcurrencyShares', type: 'string', description: 'nominal concurrency shares of this priority level', cell: (p) => p.spec?.limited?.nominalConcurrencyShares ?? NONE },
    { name: 'Queues', type: 'string', description: 'queues of this priority level', cell: (p) => p.spec?.limited?.limitResponse?.queuing?.queues ?? NONE },
    { name: 'HandSize', type: 'string', description: 'handSize of this priority level', cell: (p) => p.spec?.limited?.limitResponse?.queuing?.handSize ?? NONE },
    { name: 'QueueLengthLimit', type: 'string', description: 'queueLengthLimit of this priority level', cell: (p) => p.spec?.limited?.limitResponse?.queuing?.queueLengthLimit ?? NONE },
    ageColumn,
  ],
});
