// A StatefulSet's pods and claims by identity (stateful_set_utils.go): pod `<set>-<ordinal>` with
// the pod-name and pod-index labels, hostname = its name and subdomain = serviceName (so
// `<pod>.<service>` resolves), the revision label, and one claim per volumeClaimTemplate named
// `<template>-<set>-<ordinal>` mounted in place of a template volume of the same name.
import type { KObject, ObjectMeta, OwnerReference, PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet } from '../api/types';
import { REVISION_HASH_LABEL } from './controller-history';
import { ownerRefFor } from './pod-util';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The ordinal of a pod named `<set>-<n>`, or -1 when its name is not one of the set's. */
export function ordinalOf(set: StatefulSet, pod: Pod): number {
  const prefix = `${set.metadata?.name ?? ''}-`;
  const name = pod.metadata?.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

export function claimName(set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata?.name ?? ''}-${ordinal}`;
}

export function revisionOfPod(pod: Pod): string {
  return pod.metadata?.labels?.[REVISION_HASH_LABEL] ?? '';
}

/** newVersionedStatefulSetPod: the pod for an ordinal from a template (of the current or the update revision). */
export function newStatefulPod(set: StatefulSet, template: PodTemplateSpec, revision: string, ordinal: number): Pod {
  const t = structuredClone(template);
  const name = podName(set, ordinal);
  const spec = t.spec ?? { containers: [] };
  const claims = set.spec?.volumeClaimTemplates ?? [];
  const claimed = new Set(claims.map((c) => c.metadata?.name));
  spec.volumes = [
    ...(spec.volumes ?? []).filter((v) => !claimed.has(v.name)),
    ...claims.map((c) => ({ name: c.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(set, c, ordinal) } })),
  ];
  if (!spec.volumes.length) delete spec.volumes;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const metadata: ObjectMeta = {
    name, namespace: set.metadata?.namespace,
    labels: { ...(t.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revision },
    ownerReferences: [ownerRefFor(set as KObject)],
  };
  if (t.metadata?.annotations) metadata.annotations = t.metadata.annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** The claims an ordinal's pod mounts (getPersistentVolumeClaims): the template's labels plus the selector's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number, owners: OwnerReference[]): PersistentVolumeClaim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((tpl) => {
    const c = structuredClone(tpl);
    const metadata: ObjectMeta = {
      ...(c.metadata ?? {}), name: claimName(set, tpl, ordinal), namespace: set.metadata?.namespace,
      labels: { ...(c.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
    };
    if (owners.length) metadata.ownerReferences = owners;
    return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: c.spec ?? {} };
  });
}

/** An owner reference that is not the controller (a claim's owner under the retention policy: the set, or a condemned pod). */
export function plainOwnerRef(o: KObject): OwnerReference {
  return { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' };
}

export const isCreated = (p: Pod) => !!p.status?.phase;
export const isTerminating = (p: Pod) => !!p.metadata?.deletionTimestamp;
export const isFailedOrSucceeded = (p: Pod) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
