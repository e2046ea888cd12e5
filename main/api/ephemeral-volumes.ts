// Generic ephemeral volumes (volumes[].ephemeral): each is a PersistentVolumeClaim named <pod>-<volume>, made from the
// volume's claim template by the ephemeral volume controller and owned by the pod, so it goes with it. The scheduler's
// volume binding, the PVC protection and the kubelet treat it as the pod's claim once it is the pod's own
// (ephemeral.VolumeIsForPod). Shared by the controllers, the scheduler and the agent.
import type { PersistentVolumeClaim, Pod } from './types';

/** The name of a generic ephemeral volume's claim (ephemeral.VolumeClaimName). */
export function ephemeralClaimName(podName: string, volumeName: string): string {
  return `${podName}-${volumeName}`;
}

export interface PodVolumeClaim {
  /** The claim a volume uses. */
  claim: string;
  /** A generic ephemeral volume's claim (made for the pod), not one the pod names. */
  ephemeral: boolean;
}

/** The claim of each of the pod's volumes that uses one (persistentVolumeClaim and ephemeral), in the spec's order. */
export function podVolumeClaims(pod: Pod): PodVolumeClaim[] {
  const out: PodVolumeClaim[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) out.push({ claim: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v.ephemeral) out.push({ claim: ephemeralClaimName(pod.metadata?.name ?? '', v.name), ephemeral: true });
  }
  return out;
}

/** Whether the pod uses the claim (named, or as an ephemeral volume's). */
export function podUsesClaim(pod: Pod, claim: string): boolean {
  return podVolumeClaims(pod).some((c) => c.claim === claim);
}

/** VolumeIsForPod: undefined when the claim is the pod's own (it controls it), else the error that says it is not. */
export function ephemeralClaimNotForPod(pod: Pod, pvc: PersistentVolumeClaim): string | undefined {
  const uid = pod.metadata?.uid;
  if (uid && pvc.metadata?.ownerReferences?.some((r) => r.controller === true && r.uid === uid)) return undefined;
  const ns = pvc.metadata?.namespace ?? pod.metadata?.namespace ?? '';
  return `PVC ${ns}/${pvc.metadata?.name ?? ''} was not created for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (pod is not owner)`;
}
