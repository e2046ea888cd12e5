// Machines (flotilla.dev/v1alpha1): NAME PROVIDER PHASE NODE CPUS MEMORY AGE [MESSAGE IP].
import type { KObject, Machine } from '../../api/types';
import { ageColumn, column, nameColumn, wide } from './columns';
import { ageOf } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

function machineIP(m: Machine): string {
  const addrs = m.status?.addresses ?? [];
  return (addrs.find((a) => a.type === 'InternalIP') ?? addrs.find((a) => a.type !== 'Hostname'))?.address ?? '<none>';
}

export const machinePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Provider', 'string', 'Where the machine runs: sandbox, lima or multipass.'),
    column('Phase', 'string', 'Pending, Provisioning, Bootstrapping, Running, Stopped, Failed or Deleting.'),
    column('Node', 'string', 'The Node this machine registered as.'),
    column('CPUs', 'integer', 'Virtual CPUs of the machine.'),
    column('Memory', 'string', 'Memory of the machine.'),
    ageColumn(),
    wide('Message', 'string', 'The latest progress or error message.'),
    wide('IP', 'string', 'The internal IP address of the machine.'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const m = view<Machine>(obj);
    return [
      m.metadata?.name ?? '',
      m.spec?.provider ?? '',
      m.status?.phase ?? 'Pending',
      m.status?.nodeName || '<none>',
      m.spec?.cpus ?? '<unset>',
      m.spec?.memoryMiB !== undefined ? `${m.spec.memoryMiB}Mi` : '<unset>',
      ageOf(m, now),
      m.status?.message ?? m.status?.progress?.message ?? '',
      machineIP(m),
    ];
  },
};
