// LimitRanges: NAME CREATED AT (printLimitRange); ResourceQuotas: NAME AGE REQUEST LIMIT, each
// "resource: used/hard" of status.hard sorted, limits.* in LIMIT (printResourceQuota).
import type { LimitRange, ResourceQuota } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

const CREATED_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

export const limitRangeTable = defineTable<LimitRange>({
  columns: [
    nameColumn,
    { name: 'Created At', type: 'date', description: CREATED_DESCRIPTION, cell: (l) => l.metadata?.creationTimestamp ?? '' },
  ],
});

function usage(q: Partial<ResourceQuota>, limits: boolean): string {
  const hard = (q.status?.hard ?? {}) as Record<string, string>;
  const used = (q.status?.used ?? {}) as Record<string, string>;
  return Object.keys(hard).sort()
    .filter((r) => (r.split('.').length > 1 && r.split('.')[0] === 'limits') === limits)
    .map((r) => `${r}: ${used[r] ?? '0'}/${hard[r]}`).join(', ');
}

export const resourceQuotaTable = defineTable<ResourceQuota>({
  columns: [
    nameColumn,
    ageColumn,
    { name: 'Request', type: 'string', description: 'Request represents a minimum amount of cpu/memory that a container may consume.', cell: (q) => usage(q, false) },
    {
      name: 'Limit', type: 'string', description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      cell: (q) => usage(q, true),
    },
  ],
});
