// Pods for the validation tests: a defaulted Pod named web in default, a container, and the [field, message]
// pairs validation gives a pod spec.
import { applyDefaults } from '../../../main/api/defaults';
import { validateObject } from '../../../main/api/validation';
import type { KObject } from '../../../main/api/types';

export function pod(spec: Record<string, unknown>): KObject {
  const p: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec };
  applyDefaults('Pod', p);
  return p;
}

export const c = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'c', image: 'nginx:1.27', ...extra });

export const podCauses = (spec: Record<string, unknown>): Array<[string, string]> => validateObject('Pod', pod(spec)).map((x) => [x.field, x.message]);
