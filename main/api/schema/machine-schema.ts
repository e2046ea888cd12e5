// Structural schema of flotilla.dev/v1alpha1 Machine (main/api/types.ts Machine*), in the generated schema's format.
import type { SchemaDoc } from './format';

export const MACHINE_SCHEMA: SchemaDoc = {
  Machine: {
    fields: { apiVersion: 'string', kind: 'string', metadata: 'V1ObjectMeta', spec: 'MachineSpec', status: 'MachineStatus' },
  },
  MachineSpec: {
    fields: { provider: 'string', cpus: 'integer', memoryMiB: 'integer', diskGiB: 'integer', running: 'boolean' },
  },
  MachineStatus: {
    fields: {
      phase: 'string',
      message: 'string',
      nodeName: 'string',
      addresses: 'array<MachineAddress>',
      progress: 'MachineProgress',
      conditions: 'array<MachineCondition>',
      attempts: 'array<MachineAttempt>',
    },
  },
  MachineAttempt: { fields: { attempt: 'integer', time: 'date', message: 'string' } },
  MachineAddress: { fields: { type: 'string', address: 'string' } },
  MachineProgress: { fields: { step: 'integer', total: 'integer', message: 'string' } },
  MachineCondition: {
    fields: { type: 'string', status: 'string', reason: 'string', message: 'string', lastTransitionTime: 'date' },
  },
};
