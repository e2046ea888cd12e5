// A container's volumeMounts as CRI mounts, as the kubelet's makeMounts: the volume's path on the node,
// or a file/directory inside it for subPath (subPathExpr expanded from the container's env; made if
// missing; never outside the volume), readOnly (always for API data volumes), and mountPropagation (None is rprivate).
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import type { Container, VolumeMount } from 'kubernetes-types/core/v1';
import type { Mount, MountPropagation } from '../cri/types';
import { ContainerConfigError, expand } from '../pods/env';

/**
 * A pod volume as the node has it: its path, or why containers cannot mount it; `readOnly` for the
 * volumes the kubelet always mounts read-only (configMap, secret, downwardAPI, projected).
 */
export interface VolumePath { hostPath: string; configError?: string; readOnly?: boolean }

const PROPAGATION: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE', HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER', Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

function subPathOf(m: VolumeMount, env: Record<string, string>): string {
  const sub = m.subPathExpr ? expand(m.subPathExpr, env) : (m.subPath ?? '');
  if (!sub) return '';
  if (isAbsolute(sub)) throw new ContainerConfigError(`error SubPath \`${sub}\` must not be an absolute path`);
  if (sub.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${sub}\`: must not contain '..'`);
  return sub;
}

/** The node path of a subPath inside a volume: made (0755) when missing, refused when it resolves outside the volume. */
function subPathHostPath(volume: string, sub: string): string {
  const path = join(volume, sub);
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: 0o755 });
  const root = realpathSync(volume);
  const real = realpathSync(path);
  if (real !== root && !real.startsWith(root + sep)) throw new ContainerConfigError(`subPath "${sub}" resolves outside volume ${volume}`);
  return real;
}

export function containerMounts(c: Container, volumes: Map<string, VolumePath>, env: Array<{ key: string; value: string }>): Mount[] {
  const vars = Object.fromEntries(env.map((e) => [e.key, e.value]));
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${c.name}"`);
    if (v.configError) throw new ContainerConfigError(v.configError);
    const sub = subPathOf(m, vars);
    const mount: Mount = {
      container_path: m.mountPath, host_path: sub ? subPathHostPath(v.hostPath, sub) : v.hostPath, readonly: (m.readOnly ?? false) || (v.readOnly ?? false),
    };
    const propagation = PROPAGATION[m.mountPropagation ?? 'None'];
    if (propagation && propagation !== 'PROPAGATION_PRIVATE') mount.propagation = propagation;
    return mount;
  });
}
