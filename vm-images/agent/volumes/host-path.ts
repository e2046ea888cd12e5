// hostPath volumes: the kubelet's type checks, creating the path for DirectoryOrCreate / FileOrCreate.
import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import type { HostPathVolumeSource } from 'kubernetes-types/core/v1';
import { ContainerConfigError } from '../pods/env';

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
  if (!s || !check[0](s)) throw new ContainerConfigError(`hostPath type check failed: ${src.path} is not ${check[1]}`);
}
