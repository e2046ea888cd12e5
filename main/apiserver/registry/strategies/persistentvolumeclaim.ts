// PersistentVolumeClaims: the storage admission plugins on create (default class, pvc-protection finalizer) and
// on update (PersistentVolumeClaimResize).
import type { KObject } from '../../../api/types';
import { admitClaim, admitClaimResize } from '../admission/storage';
import { admitClaimLimits } from '../admission/limit-ranger';
import type { CreateAttributes, Strategy } from '../strategy';

export const persistentVolumeClaimStrategy: Strategy = {
  admitCreate(obj: KObject, a: CreateAttributes): Promise<void> {
    admitClaim(obj, a.reader);
    admitClaimLimits(a.reader, obj, a.namespace, a.displayName);
    return Promise.resolve();
  },
  admitUpdate: admitClaimResize,
};
