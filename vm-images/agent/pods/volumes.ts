// A container's volume mounts as CRI mounts. hostPath volumes are bind-mounted from the node (with the
// kubelet's type checks, creating what DirectoryOrCreate/FileOrCreate ask for); other volume types are not
// implemented by this agent yet, and a container that mounts one fails with CreateContainerConfigError
// saying so, rather than running without its volume.
import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Container, HostPathVolumeSource, Pod } from 'kubernetes-types/core/v1';
import type { ContainerConfig } from '../cri/types';
import { ContainerConfigError } from './env';

type Mount = NonNullable<ContainerConfig['mounts']>[number];

function stat(path: string): Stats | undefined {
  try { return statSync(path); } catch { return undefined; }
}

const TYPE_CHECKS: Record<string, [test: (s: Stats) => boolean, what: string]> = {
  Directory: [(s) => s.isDirectory(), 'a directory'],
  File: [(s) => s.isFile(), 'a file'],
  Socket: [(s) => s.isSocket(), 'a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'a block device'],
};

/** The kubelet's hostPath type check, creating the path for the …OrCreate types. */
export function checkHostPath(src: HostPathVolumeSource): void {
  const type = src.type ?? '';
  if (type === '') return;
  if (type === 'DirectoryOrCreate' && !stat(src.path)) mkdirSync(src.path, { recursive: true, mode: 0o755 });
  if (type === 'FileOrCreate' && !stat(src.path)) closeSync(openSync(src.path, 'a', 0o644));
  const check = TYPE_CHECKS[type.replace(/OrCreate$/, '')];
  if (!check) throw new ContainerConfigError(`hostPath type check failed: unsupported hostPath type "${type}"`);
  const s = stat(src.path);
  if (!s) throw new ContainerConfigError(`hostPath type check failed: ${src.path} is not ${check[1]}`);
  if (!check[0](s)) throw new ContainerConfigError(`hostPath type check failed: ${src.path} is not ${check[1]}`);
}

export function containerMounts(pod: Pod, c: Container): Mount[] {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new ContainerConfigError(`cannot find volume "${m.name}" to mount into container "${c.name}"`);
    if (!v.hostPath) {
      const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new ContainerConfigError(`volume "${m.name}": ${type} volumes are not supported by this node yet (only hostPath)`);
    }
    checkHostPath(v.hostPath);
    let hostPath = v.hostPath.path;
    if (m.subPath) {
      hostPath = join(hostPath, m.subPath);
      mkdirSync(hostPath, { recursive: true });
    }
    return { container_path: m.mountPath, host_path: hostPath, readonly: m.readOnly ?? false };
  });
}
