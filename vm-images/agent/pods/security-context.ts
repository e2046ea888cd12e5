// A container's security context as the kubelet gives it to the runtime: the pod's settings with the
// container's overriding them (DetermineEffectiveSecurityContext), the pod's fsGroup and supplementalGroups,
// capabilities, privileged, read-only root, no_new_privs when privilege escalation is off; and the
// runAsNonRoot check against the image's user (verifyRunAsNonRoot).
import type { Container, Pod, SecurityContext } from 'kubernetes-types/core/v1';
import type { ContainerConfig } from '../cri/types';
import { formatPod } from './pod-format';

type CriSecurityContext = NonNullable<NonNullable<ContainerConfig['linux']>['security_context']>;

/** The pod-level fields a container inherits unless it sets them itself. */
const INHERITED = ['seLinuxOptions', 'windowsOptions', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'appArmorProfile'] as const;

export function effectiveSecurityContext(pod: Pod, c: Container): SecurityContext {
  const out: SecurityContext = { ...(c.securityContext ?? {}) };
  const podSc = pod.spec?.securityContext;
  if (!podSc) return out;
  for (const f of INHERITED) {
    if ((out[f] === undefined || out[f] === null) && podSc[f] !== undefined && podSc[f] !== null) (out as Record<string, unknown>)[f] = podSc[f];
  }
  return out;
}

/** The pod's fsGroup then its supplementalGroups, as the kubelet gives every container (so volumes' group permissions apply). */
export function podSupplementalGroups(pod: Pod): number[] {
  const sc = pod.spec?.securityContext;
  return [...(sc?.fsGroup !== undefined && sc.fsGroup !== null ? [sc.fsGroup] : []), ...(sc?.supplementalGroups ?? [])];
}

/** Whether any container of the pod is privileged (its sandbox must be too). */
export function hasPrivilegedContainer(pod: Pod): boolean {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  return all.some((c) => c.securityContext?.privileged === true);
}

/** The CRI security context of a container, namespaces aside. */
export function criSecurityContext(pod: Pod, c: Container): Omit<CriSecurityContext, 'namespace_options'> {
  const sc = effectiveSecurityContext(pod, c);
  const groups = podSupplementalGroups(pod);
  const caps = sc.capabilities;
  return {
    privileged: sc.privileged ?? false,
    ...(sc.runAsUser !== undefined && sc.runAsUser !== null ? { run_as_user: { value: sc.runAsUser } } : {}),
    ...(sc.runAsGroup !== undefined && sc.runAsGroup !== null ? { run_as_group: { value: sc.runAsGroup } } : {}),
    ...(groups.length ? { supplemental_groups: groups } : {}),
    ...(caps?.add?.length || caps?.drop?.length ? { capabilities: { add_capabilities: caps.add ?? [], drop_capabilities: caps.drop ?? [] } } : {}),
    ...(sc.readOnlyRootFilesystem ? { readonly_rootfs: true } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { no_new_privs: true } : {}),
  };
}

/**
 * The kubelet's verifyRunAsNonRoot: the error (a CreateContainerConfigError) when the container must not
 * run as root and would, or when the image's user cannot be checked; undefined when it may run.
 */
export function runAsNonRootError(pod: Pod, c: Container, image: { uid?: number; username: string }): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  if (sc.runAsNonRoot !== true) return undefined;
  const where = `(pod: "${formatPod(pod)}", container: ${c.name})`;
  if (sc.runAsUser !== undefined && sc.runAsUser !== null) {
    return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  // An image that names no user runs as root.
  const uid = image.uid ?? (image.username ? undefined : 0);
  if (uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (uid === undefined) return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  return undefined;
}
