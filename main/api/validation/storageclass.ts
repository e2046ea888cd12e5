// storage.k8s.io/v1 StorageClass validation (ValidateStorageClass / ValidateStorageClassUpdate).
import type { KObject } from '../types';
import type { Cause } from './cause';
import { forbidden, immutable, invalid, notSupported, required } from './cause';
import { isQualifiedName } from './names';
import { checkType, obj, semanticEqual, str } from './read';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

export function validateStorageClass(sc: KObject): Cause[] {
  const causes: Cause[] = [];
  const provisioner = str(sc.provisioner);
  if (!provisioner) causes.push(required('provisioner'));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) causes.push(invalid('provisioner', provisioner.toLowerCase(), m));
  if (checkType(causes, 'parameters', sc.parameters, 'object')) {
    const params = obj(sc.parameters);
    let size = 0;
    for (const [k, v] of Object.entries(params)) {
      if (!k) causes.push(invalid('parameters', k, 'field can not be empty.'));
      size += k.length + str(v).length;
    }
    if (Object.keys(params).length > MAX_PARAMETERS) {
      causes.push(invalid('parameters', '', `must have less than ${MAX_PARAMETERS} entries`));
    }
    if (size > MAX_PARAMETERS_SIZE) causes.push(invalid('parameters', '', `must have less than ${MAX_PARAMETERS_SIZE} bytes`));
  }
  const policy = str(sc.reclaimPolicy);
  if (policy && !RECLAIM_POLICIES.includes(policy)) causes.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  const mode = str(sc.volumeBindingMode);
  if (!mode) causes.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(mode)) causes.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  checkType(causes, 'allowVolumeExpansion', sc.allowVolumeExpansion, 'boolean');
  return causes;
}

export function validateStorageClassUpdate(next: KObject, prev: KObject): Cause[] {
  const causes: Cause[] = [];
  if (!semanticEqual(next.parameters, prev.parameters)) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (str(next.provisioner) !== str(prev.provisioner)) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (str(next.reclaimPolicy) !== str(prev.reclaimPolicy)) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (str(next.volumeBindingMode) !== str(prev.volumeBindingMode)) causes.push(immutable('volumeBindingMode', next.volumeBindingMode));
  return causes;
}
