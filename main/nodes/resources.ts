// The resources the node manager reads and writes.
import { resourceFor } from '../api/resources';
import type { ResourceRef } from '../client/types';

function must(group: string, version: string, plural: string): ResourceRef {
  const r = resourceFor(group, version, plural);
  if (!r) throw new Error(`resource ${plural}.${group || 'core'} is not served`);
  return r;
}

export const MACHINES = must('flotilla.dev', 'v1alpha1', 'machines');
export const NODES = must('', 'v1', 'nodes');
export const PODS = must('', 'v1', 'pods');

export const MACHINE_FINALIZER = 'flotilla.dev/machine';
export const FIELD_MANAGER = 'flotilla-machine-controller';
