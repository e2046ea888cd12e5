// NodeRestriction admission for pods (Kubernetes' plugin/pkg/admission/noderestriction): the node authorizer lets a
// node's agent create and delete pods, write pods' status and evict pods; this plugin keeps it to the pods bound to
// it — creates only of its own mirror pods (the kubelet's static pods), deletes, status writes (its labels left as they
// are) and evictions only of pods with spec.nodeName set to itself — in Kubernetes' words. Others' writes pass.
import type { Pod } from '../../../api/types';
import type { UserInfo } from '../../authz/attributes';
import { nodeOfUser } from '../../authz/node';
import { errors } from '../../status';
import { deepEqual } from '../../../api/deep-equal';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const quote = (s: string): string => JSON.stringify(s);

function refuse(name: string, reason: string): never {
  throw errors.forbidden('', 'pods', name, reason);
}

/**
 * admitPodCreate: a mirror pod of its own, bound to itself, owned by its Node only, naming no other API object (the
 * owner's uid is not checked against the Node's).
 */
export function admitNodePodCreate(user: UserInfo, pod: Pod): void {
  const node = nodeOfUser(user);
  if (!node) return;
  const name = pod.metadata?.name ?? '';
  if (!(MIRROR_POD_ANNOTATION in (pod.metadata?.annotations ?? {}))) {
    refuse(name, `pod does not have ${quote(MIRROR_POD_ANNOTATION)} annotation, node ${quote(node)} can only create mirror pods`);
  }
  if (pod.spec?.nodeName !== node) refuse(name, `node ${quote(node)} can only create pods with spec.nodeName set to itself`);
  const owners = pod.metadata?.ownerReferences ?? [];
  if (owners.length > 1) refuse(name, `node ${quote(node)} can only create pods with a single owner reference set to itself`);
  const owner = owners[0];
  if (!owner || owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== node) {
    refuse(name, `node ${quote(node)} can only create pods with an owner reference set to itself`);
  }
  if (owner.controller !== true) refuse(name, `node ${quote(node)} can only create pods with a controller owner reference set to itself`);
  if (owner.blockOwnerDeletion === true) refuse(name, `node ${quote(node)} must not set blockOwnerDeletion on an owner reference`);
  const spec = pod.spec;
  if (spec?.serviceAccountName) refuse(name, `node ${quote(node)} can not create pods that reference a service account`);
  const volumes = spec?.volumes ?? [];
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
  const usesSecret = volumes.some((v) => v.secret || v.projected?.sources?.some((s) => s.secret))
    || containers.some((c) => c.env?.some((e) => e.valueFrom?.secretKeyRef) || c.envFrom?.some((e) => e.secretRef))
    || Boolean(spec?.imagePullSecrets?.length);
  if (usesSecret) refuse(name, `node ${quote(node)} can not create pods that reference secrets`);
  const usesConfigMap = volumes.some((v) => v.configMap || v.projected?.sources?.some((s) => s.configMap))
    || containers.some((c) => c.env?.some((e) => e.valueFrom?.configMapKeyRef) || c.envFrom?.some((e) => e.configMapRef));
  if (usesConfigMap) refuse(name, `node ${quote(node)} can not create pods that reference configmaps`);
  if (volumes.some((v) => v.persistentVolumeClaim)) refuse(name, `node ${quote(node)} can not create pods that reference persistentvolumeclaims`);
}

/** A delete or an eviction: only of a pod bound to the node (the eviction's words name the node unquoted, as Kubernetes'). */
export function admitNodePodRemoval(user: UserInfo, pod: Pod, how: 'delete' | 'evict'): void {
  const node = nodeOfUser(user);
  if (!node || pod.spec?.nodeName === node) return;
  refuse(pod.metadata?.name ?? '', `node ${how === 'delete' ? quote(node) : node} can only ${how} pods with spec.nodeName set to itself`);
}

/** admitPodStatus: the status of a pod bound to the node, its labels left as they are. */
export function admitNodePodStatus(user: UserInfo, next: Pod, old: Pod): void {
  const node = nodeOfUser(user);
  if (!node) return;
  const name = old.metadata?.name ?? '';
  if (old.spec?.nodeName !== node) refuse(name, `node ${quote(node)} can only update pod status for pods with spec.nodeName set to itself`);
  // (A status write here keeps the stored labels — update.ts — so this holds already; kept as the plugin's rule.)
  if (!deepEqual(next.metadata?.labels ?? {}, old.metadata?.labels ?? {})) refuse(name, `node ${quote(node)} cannot update labels through pod status`);
  // (kube-apiserver's own spelling.)
  if (!deepEqual(next.status?.resourceClaimStatuses ?? [], old.status?.resourceClaimStatuses ?? [])) refuse(name, `node ${quote(node)} cannot update resource claim statues`);
}
