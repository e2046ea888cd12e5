// PersistentVolumes: the pv-protection finalizer on create (admission), and a new volume is Pending since now (status.lastPhaseTransitionTime, as Kubernetes'
// persistentvolumeStrategy.PrepareForCreate sets it); the binder moves it on through the status subresource.
import type { KObject } from '../../../api/types';
import { admitVolume } from '../admission/storage';
import type { Strategy } from '../strategy';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const persistentVolumeStrategy: Strategy = {
  /** StorageObjectInUseProtection: the pv-protection finalizer. */
  admitCreate(obj: KObject): Promise<void> {
    admitVolume(obj);
    return Promise.resolve();
  },
  beforeCreate(obj: KObject): void {
    const status = isRecord(obj.status) ? obj.status : {};
    status.phase = 'Pending';
    status.lastPhaseTransitionTime = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    obj.status = status;
  },
};
