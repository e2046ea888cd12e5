// persistentVolumeClaim and generic ephemeral volumes: the claim → its bound PersistentVolume → that volume's path on this
// node (hostPath or local; a volume of the node-local provisioner has its directory made here if it is
// not yet). Where the API does not serve the storage kinds, a container mounting a claim fails with
// CreateContainerConfigError naming the claim.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { ephemeralClaimNotForPod } from '../../../main/api/ephemeral-volumes';
import { resourceFor } from '../../../main/api/resources';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import { ANN_PROVISIONED_BY, LOCAL_PROVISIONER } from '../../../main/api/storage';
import { ContainerConfigError } from '../pods/env';
import { ensureVolumeDir } from './local-volumes';

const ref = (plural: string) => {
  const r = resourceFor('', 'v1', plural);
  return r && !r.virtual ? { group: '', version: 'v1', plural, namespaced: r.namespaced } : undefined;
};

/**
 * The node path of the claim's bound volume; MountError-worthy failures throw Error, an unserved kind ContainerConfigError.
 * `ephemeralFor`: the claim is that pod's generic ephemeral volume's, and must be the pod's own (VolumeIsForPod).
 */
export async function claimPath(client: ApiClient, namespace: string, claimName: string, ephemeralFor?: Pod): Promise<string> {
  const claims = ref('persistentvolumeclaims');
  const volumes = ref('persistentvolumes');
  if (!claims || !volumes) {
    throw new ContainerConfigError(`persistentVolumeClaim "${claimName}": this cluster does not serve PersistentVolumeClaims yet`);
  }
  let claim: PersistentVolumeClaim;
  try {
    claim = await client.get<PersistentVolumeClaim>(claims, claimName, namespace);
  } catch (err) {
    if (isNotFound(err)) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
    throw err;
  }
  const notForPod = ephemeralFor ? ephemeralClaimNotForPod(ephemeralFor, claim) : undefined;
  if (notForPod) throw new Error(notForPod);
  const pvName = claim.spec?.volumeName;
  if (!pvName || claim.status?.phase !== 'Bound') throw new Error(`PVC ${namespace}/${claimName} is not bound`);
  const pv = await client.get<PersistentVolume>(volumes, pvName);
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) throw new Error(`persistentvolume "${pvName}" has no hostPath or local path this node can mount`);
  if (pv.spec?.local && pv.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PROVISIONER) ensureVolumeDir(path);
  return path;
}
