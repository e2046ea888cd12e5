// Facts about the storage kinds that the PV controller, the scheduler's VolumeBinding plugin and the node
// agent share: the node-local provisioner's name and directory, Kubernetes' binding annotations and
// protection finalizers, and pure helpers (a claim's class, a volume's node affinity, matching a claim).
import { anyTermMatches, type NodeFacts } from './node-selector';
import { parseQuantity } from './quantity';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './types';

/** The node-local provisioner: a directory on the node the claim's first pod was scheduled to. */
export const LOCAL_PROVISIONER = 'flotilla.dev/local-path';
/** Where its volumes live on a node: <dir>/<pv name>. */
export const LOCAL_VOLUMES_DIR = '/var/lib/flotilla/volumes';
/** Held by a provisioned volume until its node's agent has removed the directory (reclaim policy Delete). */
export const LOCAL_VOLUME_FINALIZER = 'flotilla.dev/local-volume-cleanup';
/** The default StorageClass every cluster starts with. */
export const DEFAULT_STORAGE_CLASS = 'standard';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const ANN_BETA_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
const ANN_BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[ANN_DEFAULT_CLASS] === 'true' || a[ANN_BETA_DEFAULT_CLASS] === 'true';
}

/** The class a claim asks for (the beta annotation wins, as Kubernetes' GetPersistentVolumeClaimClass). */
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata?.annotations?.[ANN_BETA_CLASS] ?? pvc.spec?.storageClassName ?? '';
}

export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata?.annotations?.[ANN_BETA_CLASS] ?? pv.spec?.storageClassName ?? '';
}

/** The local path of a volume this project's nodes can mount (hostPath or local). */
export function volumePath(pv: PersistentVolume): string | undefined {
  return pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
}

/** Whether a volume may be used on `node`: no node affinity, or its required terms match. */
export function volumeFitsNode(pv: PersistentVolume, node: NodeFacts): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || anyTermMatches(terms, node);
}

/** The node a provisioned local volume is on (its hostname In [node] term), if it names exactly one. */
export function localVolumeNode(pv: PersistentVolume): string | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  const e = terms[0].matchExpressions?.find((x) => x.key === HOSTNAME_LABEL && x.operator === 'In');
  return e?.values?.length === 1 ? e.values[0] : undefined;
}

export function storageBytes(q: string | number | undefined): number {
  if (q === undefined) return NaN;
  try { return parseQuantity(q); } catch { return NaN; }
}

/** Whether `pv` satisfies `pvc` (class, access modes, size, volume mode, selector by labels); binding state not considered. */
export function volumeSatisfies(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  if (volumeClass(pv) !== claimClass(pvc)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => modes.has(m))) return false;
  if (!(storageBytes(pv.spec?.capacity?.storage) >= storageBytes(pvc.spec?.resources?.requests?.storage))) return false;
  const labels = pv.metadata?.labels ?? {};
  const sel = pvc.spec?.selector;
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const v = labels[e.key];
    const vals = e.values ?? [];
    if (e.operator === 'In' && (v === undefined || !vals.includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && vals.includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

/** Whether the volume's claimRef names this claim (by uid when the ref has one). */
export function claimRefMatches(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}
