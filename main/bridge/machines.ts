// Adding nodes = creating Machines (flotilla.dev/v1alpha1); a machine controller provisions them.
import type { KObject, Machine } from '../api/types';
import type { ApiClient } from '../client/types';
import { createMachine } from '../nodes/machine-names';
import type { AddMachineRequest } from './contract';
import { BridgeFailure } from './errors';
import { KIND_RESOURCES } from './kinds';
import { FIELD_MANAGER } from './apply';

export function checkMachineRequest(req: AddMachineRequest): string | undefined {
  if (!['sandbox', 'lima', 'multipass', 'qemu'].includes(req.provider)) return `unknown provider "${String(req.provider)}"`;
  if (!Number.isInteger(req.cpus) || req.cpus < 1 || req.cpus > 64) return 'CPUs must be a whole number from 1 to 64';
  if (!Number.isInteger(req.memoryMiB) || req.memoryMiB < 128) return 'memory must be at least 128 MiB';
  if (!Number.isInteger(req.diskGiB) || req.diskGiB < 1) return 'disk must be at least 1 GiB';
  if (req.name !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(req.name)) return `"${req.name}" is not a valid node name`;
  return undefined;
}

export async function addMachine(client: ApiClient, req: AddMachineRequest): Promise<Machine> {
  const problem = checkMachineRequest(req);
  if (problem) throw new BridgeFailure(422, 'Invalid', problem);
  const spec = { provider: req.provider, cpus: req.cpus, memoryMiB: req.memoryMiB, diskGiB: req.diskGiB, running: true };
  return createMachine(client, spec, req.name, { fieldManager: FIELD_MANAGER });
}

export async function retryMachine(client: ApiClient, name: string): Promise<Machine> {
  const old = await client.get<Machine & KObject>(KIND_RESOURCES.machines, name);
  const spec = old.spec;
  if (!spec) throw new BridgeFailure(422, 'Invalid', `machine ${name} has no spec`);
  const created = await addMachine(client, { provider: spec.provider, cpus: spec.cpus ?? 2, memoryMiB: spec.memoryMiB ?? 2048, diskGiB: spec.diskGiB ?? 10 });
  await client.delete(KIND_RESOURCES.machines, name);
  return created;
}
