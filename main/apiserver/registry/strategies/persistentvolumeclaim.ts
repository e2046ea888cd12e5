// PersistentVolumeClaims: the storage admission plugins on create (default class, pvc-protection finalizer).
import type { KObject } from '../../../api/types';
import { admitClaim } from '../admission/storage';
import type { CreateAttributes, Strategy } from '../strategy';

export const persistentVolumeClaimStrategy: Strategy = {
  admitCreate(obj: KObject, a: CreateAttributes): Promise<void> {
    admitClaim(obj, a.reader);
    return Promise.resolve();
  },
};
