// The objects a pod's spec names, as Kubernetes' podutil.VisitPodSecretNames / VisitPodConfigmapNames
// and the claims of its volumes (a persistentVolumeClaim's, or a generic ephemeral volume's
// <pod>-<volume>), and the secrets a PersistentVolume hands its node (pvutil.VisitPVSecretNames, the
// kubelet-visible ones). The node authorizer's graph is made of these.
import { podVolumeClaims } from './ephemeral-volumes';
import type { Container, EnvFromSource, EnvVar, PersistentVolume, Pod, Volume } from 'kubernetes-types/core/v1';

/** Every container of the spec: init, regular and ephemeral. */
function containersOf(pod: Pod): Array<{ env?: readonly EnvVar[]; envFrom?: readonly EnvFromSource[] }> {
  const spec = pod.spec;
  if (!spec) return [];
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])] as Container[];
}

/** Adds `name` unless it is empty (podutil's skipEmptyNames). */
function add(out: Set<string>, name: string | undefined): void {
  if (name) out.add(name);
}

/** The Secrets the pod names: image pull secrets, env and envFrom, and its volumes'. */
export function podSecretNames(pod: Pod): Set<string> {
  const out = new Set<string>();
  for (const r of pod.spec?.imagePullSecrets ?? []) add(out, r.name);
  for (const c of containersOf(pod)) {
    for (const e of c.envFrom ?? []) add(out, e.secretRef?.name);
    for (const e of c.env ?? []) add(out, e.valueFrom?.secretKeyRef?.name);
  }
  for (const v of pod.spec?.volumes ?? []) volumeSecretNames(v, out);
  return out;
}

function volumeSecretNames(v: Volume, out: Set<string>): void {
  if (v.azureFile) add(out, v.azureFile.secretName);
  else if (v.cephfs) add(out, v.cephfs.secretRef?.name);
  else if (v.cinder) add(out, v.cinder.secretRef?.name);
  else if (v.flexVolume) add(out, v.flexVolume.secretRef?.name);
  else if (v.projected) for (const s of v.projected.sources ?? []) add(out, s.secret?.name);
  else if (v.rbd) add(out, v.rbd.secretRef?.name);
  else if (v.secret) add(out, v.secret.secretName);
  else if (v.scaleIO) add(out, v.scaleIO.secretRef?.name);
  else if (v.iscsi) add(out, v.iscsi.secretRef?.name);
  else if (v.storageos) add(out, v.storageos.secretRef?.name);
  else if (v.csi) add(out, v.csi.nodePublishSecretRef?.name);
}

/** The ConfigMaps the pod names: env and envFrom, configMap volumes and projected sources. */
export function podConfigMapNames(pod: Pod): Set<string> {
  const out = new Set<string>();
  for (const c of containersOf(pod)) {
    for (const e of c.envFrom ?? []) add(out, e.configMapRef?.name);
    for (const e of c.env ?? []) add(out, e.valueFrom?.configMapKeyRef?.name);
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (v.projected) for (const s of v.projected.sources ?? []) add(out, s.configMap?.name);
    else if (v.configMap) add(out, v.configMap.name);
  }
  return out;
}

/** The PersistentVolumeClaims the pod's volumes use, ephemeral volumes' included. */
export function podClaimNames(pod: Pod): Set<string> {
  const out = new Set<string>();
  for (const c of podVolumeClaims(pod)) add(out, c.claim);
  return out;
}

/** namespace/name of each Secret a PersistentVolume gives the node that mounts it. */
export function pvNodeSecrets(pv: PersistentVolume): Array<{ namespace: string; name: string }> {
  const s = pv.spec;
  const claimNs = s?.claimRef?.namespace ?? '';
  const out: Array<{ namespace: string; name: string }> = [];
  const ref = (r: { name?: string; namespace?: string } | undefined, defaultNs = claimNs): void => {
    if (r?.name) out.push({ namespace: r.namespace || defaultNs, name: r.name });
  };
  if (!s) return out;
  if (s.azureFile) ref({ name: s.azureFile.secretName, namespace: s.azureFile.secretNamespace });
  else if (s.cephfs) ref(s.cephfs.secretRef);
  else if (s.cinder) ref(s.cinder.secretRef);
  else if (s.flexVolume) ref(s.flexVolume.secretRef);
  else if (s.rbd) ref(s.rbd.secretRef);
  else if (s.scaleIO) ref(s.scaleIO.secretRef);
  else if (s.iscsi) ref(s.iscsi.secretRef);
  else if (s.storageos) ref(s.storageos.secretRef);
  else if (s.csi) {
    ref(s.csi.nodePublishSecretRef);
    ref(s.csi.nodeStageSecretRef);
    ref(s.csi.nodeExpandSecretRef);
  }
  return out;
}
