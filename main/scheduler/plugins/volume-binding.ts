// VolumeBinding (kube-scheduler's volumebinding plugin, reduced, with VolumeRestrictions' ReadWriteOncePod
// check): PreFilter reads the pod's claims — a missing claim, a claim being deleted, a ReadWriteOncePod
// claim another pod uses, or an unbound claim of an Immediate class keep the pod Pending
// with Kubernetes' messages; Filter lets a node through only if it satisfies the node affinity of every
// bound claim's volume and, for each claim waiting for its first consumer, has an available volume or
// can have one provisioned, and no bound claim names a missing volume (each failing node with all of
// kube-scheduler's reasons that apply); PreBind writes volume.kubernetes.io/selected-node on those claims so the
// PersistentVolume controller binds or provisions on the chosen node. A pod without claims costs one
// scan of its volumes.
import { ephemeralClaimNotForPod, podUsesClaim, podVolumeClaims } from '../../api/ephemeral-volumes';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/types';
import { ANN_SELECTED_NODE, LOCAL_PROVISIONER, claimClass, claimRefMatches, volumeFitsNode, volumeSatisfies } from '../../api/storage';
import type { Informer } from '../../client/cache/informer';
import type { SharedInformers } from '../../client/cache/shared-informers';
import { R, keyFor } from '../../client/refs';
import type { ApiClient } from '../../client/types';
import type { FilterPlugin, PodInfo, PodVolumes } from '../types';
import { ClaimWaiters } from './claim-waiters';

const NODE_CONFLICT = 'node(s) had volume node affinity conflict';
const NO_VOLUME = "node(s) didn't find available persistent volumes to bind";
const PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
const BIND_TIMEOUT_MS = 30_000;
const RWOP_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

export const volumeBindingFilter: FilterPlugin = {
  name: 'VolumeBinding',
  // FindPodVolumes: every reason that applies, in its order.
  filter(pod, node) {
    const v = pod.volumes;
    if (!v) return undefined;
    const reasons: string[] = [];
    if (v.bound.some((pv) => !volumeFitsNode(pv, node))) reasons.push(NODE_CONFLICT);
    if (v.delayed.some((d) => !d.provisionable && !d.candidates.some((pv) => volumeFitsNode(pv, node)))) reasons.push(NO_VOLUME);
    if (v.boundVolumeMissing) reasons.push(PV_NOT_EXIST);
    return reasons.length ? { reasons, unresolvable: true } : undefined;
  },
};

function provisionable(sc: StorageClass, claim: PersistentVolumeClaim): boolean {
  if (sc.provisioner !== LOCAL_PROVISIONER) return true; // another provisioner is trusted to provision anywhere
  const modes = claim.spec?.accessModes ?? [];
  return !modes.includes('ReadWriteMany') && !modes.includes('ReadOnlyMany');
}

export class VolumeBinding {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly pods: Informer<Pod>;
  private readonly waiters: ClaimWaiters;

  constructor(informers: SharedInformers, private readonly client: ApiClient) {
    this.pods = informers.pods;
    this.claims = informers.informer('persistentvolumeclaims') as unknown as Informer<PersistentVolumeClaim>;
    this.volumes = informers.informer('persistentvolumes') as unknown as Informer<PersistentVolume>;
    this.classes = informers.informer('storageclasses') as unknown as Informer<StorageClass>;
    this.waiters = new ClaimWaiters(this.claims);
  }

  get hasSynced(): Promise<unknown> {
    return Promise.all([this.claims.hasSynced, this.volumes.hasSynced, this.classes.hasSynced]);
  }

  /**
   * Calls `changed` whenever a claim, volume or class changes (a pending pod may fit now); the claims' handler
   * also wakes the pods waiting in preBind, so the scheduler must have called this before binding.
   */
  onChange(changed: () => void): Array<() => void> {
    const h = { add: changed, update: changed, delete: changed };
    const claimChanged = (c: PersistentVolumeClaim) => {
      this.waiters.changed(c);
      changed();
    };
    return [
      this.claims.addHandler({ add: claimChanged, update: (_old, c) => claimChanged(c), delete: changed }),
      this.volumes.addHandler(h), this.classes.addHandler(h),
    ];
  }

  /** Fills pod.volumes; returns the message that keeps the pod unschedulable on every node, if any. */
  preFilter(pod: PodInfo): string | undefined {
    pod.volumes = undefined;
    const specVolumes = pod.pod.spec?.volumes;
    if (!specVolumes?.length) return undefined;
    const ns = pod.pod.metadata?.namespace ?? 'default';
    let out: PodVolumes | undefined;
    for (const { claim: name, ephemeral } of podVolumeClaims(pod.pod)) {
      out ??= { bound: [], delayed: [] };
      const claim = this.claims.get(keyFor(ns, name));
      // A generic ephemeral volume's claim is normally missing for a moment after the pod is made (podHasPVCs).
      if (!claim) return ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`;
      if (claim.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
      const notForPod = ephemeral ? ephemeralClaimNotForPod(pod.pod, claim) : undefined;
      if (notForPod) return notForPod;
      if (claim.spec?.accessModes?.includes('ReadWriteOncePod') && this.inUseByOther(pod, ns, name)) return RWOP_CONFLICT;
      const volumeName = claim.spec?.volumeName;
      if (volumeName && claim.status?.phase !== 'Lost') {
        const pv = this.volumes.get(volumeName);
        if (pv) out.bound.push(pv);
        else out.boundVolumeMissing = true;
        continue;
      }
      if (volumeName) return `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${volumeName}"`;
      const sc = this.classes.get(claimClass(claim));
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return UNBOUND_IMMEDIATE;
      // The cheap claimRef and phase checks first: with many bound volumes, most are ruled out by them.
      const candidates = this.volumes.list().filter((pv) => !pv.metadata?.deletionTimestamp &&
        (pv.spec?.claimRef ? claimRefMatches(pv, claim) : pv.status?.phase === 'Available') && volumeSatisfies(pv, claim));
      out.delayed.push({ claim, candidates, provisionable: provisionable(sc, claim) });
    }
    pod.volumes = out;
    return undefined;
  }

  /** VolumeRestrictions' ReadWriteOncePod check: another pod, scheduled and not finished, uses the claim. */
  private inUseByOther(pod: PodInfo, ns: string, claim: string): boolean {
    return this.pods.list().some((p) => p.metadata?.uid !== pod.uid && p.metadata?.namespace === ns && !!p.spec?.nodeName &&
      p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && podUsesClaim(p, claim));
  }

  /**
   * Before the pod is bound to `node`: its delayed claims are told the node (selected-node), and the pod
   * waits (up to BIND_TIMEOUT_MS, then it is scheduled again) until the PersistentVolume controller has
   * bound them, so its node's agent finds its volumes ready.
   */
  async preBind(pod: PodInfo, node: string): Promise<void> {
    const delayed = pod.volumes?.delayed ?? [];
    for (const d of delayed) {
      if (d.claim.metadata?.annotations?.[ANN_SELECTED_NODE] === node) continue;
      await this.client.patch(R.persistentvolumeclaims, d.claim.metadata?.name ?? '', { metadata: { annotations: { [ANN_SELECTED_NODE]: node } } }, 'merge', {
        namespace: d.claim.metadata?.namespace,
      });
    }
    if (!delayed.length) return;
    const keys = delayed.map((d) => keyFor(d.claim.metadata?.namespace, d.claim.metadata?.name ?? ''));
    await this.waiters.waitBound(keys, BIND_TIMEOUT_MS, `the claims of ${pod.key} to be bound`);
  }
}
