// flotilla.dev/v1alpha1 Machine validation: provider, sizes; the provider is immutable.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { immutable, invalid, notSupported, required } from './cause';
import { inclusiveRangeError } from './names';
import { checkType, obj, str } from './read';

export const MACHINE_PROVIDERS = ['sandbox', 'lima', 'multipass', 'qemu'];

export function validateMachine(m: KObject): Cause[] {
  const causes: Cause[] = [];
  const spec = obj(m.spec);
  const typesOk = [
    checkType(causes, 'spec.provider', spec.provider, 'string'),
    checkType(causes, 'spec.cpus', spec.cpus, 'integer'),
    checkType(causes, 'spec.memoryMiB', spec.memoryMiB, 'integer'),
    checkType(causes, 'spec.diskGiB', spec.diskGiB, 'integer'),
    checkType(causes, 'spec.running', spec.running, 'boolean'),
  ];
  if (typesOk[0]) {
    const provider = str(spec.provider);
    if (!provider) causes.push(required('spec.provider'));
    else if (!MACHINE_PROVIDERS.includes(provider)) causes.push(notSupported('spec.provider', provider, MACHINE_PROVIDERS));
  }
  if (typesOk[1] && typeof spec.cpus === 'number' && (spec.cpus < 1 || spec.cpus > 64)) {
    causes.push(invalid('spec.cpus', spec.cpus, inclusiveRangeError(1, 64)));
  }
  if (typesOk[2] && typeof spec.memoryMiB === 'number' && spec.memoryMiB < 512) {
    causes.push(invalid('spec.memoryMiB', spec.memoryMiB, 'must be greater than or equal to 512'));
  }
  if (typesOk[3] && typeof spec.diskGiB === 'number' && spec.diskGiB < 5) {
    causes.push(invalid('spec.diskGiB', spec.diskGiB, 'must be greater than or equal to 5'));
  }
  return causes;
}

export function validateMachineUpdate(next: KObject, prev: KObject): Cause[] {
  const a = str(obj(next.spec).provider);
  const b = str(obj(prev.spec).provider);
  return a !== b ? [immutable('spec.provider', a)] : [];
}
