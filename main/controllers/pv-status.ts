// Status writes of the PersistentVolume controller: a volume's phase (with lastPhaseTransitionTime when it
// changes) and a claim's phase, capacity and access modes, through the status subresource.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeStatus } from '../api/types';
import type { ApiClient } from '../client/types';
import { R } from '../client/refs';
import { rfc3339Seconds } from '../api/timestamp';

/** Sets the volume's phase (and message/reason); a no-op when nothing changes. Returns the stored volume. */
export async function setVolumePhase(
  client: ApiClient, pv: PersistentVolume, phase: string, message?: string, reason?: string,
): Promise<PersistentVolume> {
  const cur = pv.status ?? {};
  if (cur.phase === phase && (cur.message ?? '') === (message ?? '') && (cur.reason ?? '') === (reason ?? '')) return pv;
  const status: PersistentVolumeStatus = { phase };
  if (message) status.message = message;
  if (reason) status.reason = reason;
  status.lastPhaseTransitionTime = cur.phase === phase ? cur.lastPhaseTransitionTime : rfc3339Seconds();
  return client.update<PersistentVolume>(R.persistentvolumes, { ...pv, status }, { subresource: 'status' });
}

/** Sets the claim's status to `want`'s fields (others kept); a no-op when nothing changes. */
export async function setClaimStatus(client: ApiClient, pvc: PersistentVolumeClaim, want: PersistentVolumeClaimStatus): Promise<PersistentVolumeClaim> {
  const cur = pvc.status ?? {};
  const next: PersistentVolumeClaimStatus = { ...cur, ...want };
  for (const k of Object.keys(want) as Array<keyof PersistentVolumeClaimStatus>) if (want[k] === undefined) delete next[k];
  if (JSON.stringify(next) === JSON.stringify(cur)) return pvc;
  return client.update<PersistentVolumeClaim>(R.persistentvolumeclaims, { ...pvc, status: next }, { namespace: pvc.metadata?.namespace, subresource: 'status' });
}

/** A claim bound to `pv`: Bound, with the volume's capacity and access modes. */
export function boundClaimStatus(pv: PersistentVolume): PersistentVolumeClaimStatus {
  return { phase: 'Bound', capacity: { ...(pv.spec?.capacity ?? {}) }, accessModes: [...(pv.spec?.accessModes ?? [])] };
}
