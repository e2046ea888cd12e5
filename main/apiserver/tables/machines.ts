// Machines (flotilla.dev/v1alpha1): NAME PROVIDER PHASE NODE CPUS MEMORY AGE [MESSAGE IP].
import type { Machine } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';

function machineIP(m: Partial<Machine>): string {
  const addrs = m.status?.addresses ?? [];
  return (addrs.find((a) => a.type === 'InternalIP') ?? addrs.find((a) => a.type !== 'Hostname'))?.address ?? '<none>';
}

export const machineTable = defineTable<Machine>({
  columns: [
    nameColumn,
    { name: 'Provider', type: 'string', description: 'Where the machine runs: sandbox, lima or multipass.', cell: (m) => m.spec?.provider ?? '' },
    { name: 'Phase', type: 'string', description: 'Pending, Provisioning, Bootstrapping, Running, Stopped, Failed or Deleting.', cell: (m) => m.status?.phase ?? 'Pending' },
    { name: 'Node', type: 'string', description: 'The Node this machine registered as.', cell: (m) => m.status?.nodeName || '<none>' },
    { name: 'CPUs', type: 'integer', description: 'Virtual CPUs of the machine.', cell: (m) => m.spec?.cpus ?? '<unset>' },
    { name: 'Memory', type: 'string', description: 'Memory of the machine.', cell: (m) => (m.spec?.memoryMiB !== undefined ? `${m.spec.memoryMiB}Mi` : '<unset>') },
    ageColumn,
    { name: 'Message', type: 'string', priority: 1, description: 'The latest progress or error message.', cell: (m) => m.status?.message ?? m.status?.progress?.message ?? '' },
    { name: 'IP', type: 'string', priority: 1, description: 'The internal IP address of the machine.', cell: machineIP },
  ],
});
