// PersistentVolumeClaims: the storage admission plugins on create (default class, pvc-protection finalizer).
import type { KObject } from '../../../api/types';
import { admitClaim } from '../admission/storage';
import { admitClaimLimits } from '../admission/limit-ranger';
import type { CreateAttributes, Strategy } from '../strategy';

export const persistentVolumeClaimStrategy: Strategy = {
  admitCreate(obj: KObject, a: CreateAttributes): Promise<void> {
    admitClaim(obj, a.reader);
    admitClaimLimits(a.reader, obj, a.namespace, a.displayName);
    return Promise.resolve();
  },
};
