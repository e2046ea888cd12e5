// A node's architecture (from `uname -m`, in OCI/Go terms) and the check, before anything is uploaded
// to it, that every image it needs has a build for that architecture.
import * as path from 'node:path';
import { imagesOfTarball } from './image-platforms';
import { ReasonedError } from './provision-errors';

const UNAME: Record<string, string> = {
  x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', armv6l: 'arm', i686: '386', i386: '386',
  riscv64: 'riscv64', ppc64le: 'ppc64le', s390x: 's390x', loongarch64: 'loong64', mips64: 'mips64',
};

/** The OCI architecture of `uname -m` output (an unknown machine is returned as it is). */
export function archOfUname(machine: string): string {
  const m = machine.trim();
  return UNAME[m] ?? m;
}

/**
 * Throws UnsupportedArchitecture, naming the node, its architecture and each image without a build for
 * it (with the architectures that image has), when one of the tarballs lacks `arch`. Tarballs that do
 * not say which platforms they hold pass.
 */
export function checkImagesForArch(node: string, machine: string, tarballs: string[]): void {
  const arch = archOfUname(machine);
  const missing = tarballs.flatMap((file) => imagesOfTarball(file)
    .filter((img) => img.arches && !img.arches.includes(arch))
    .map((img) => `${img.ref} (${path.basename(file)}: ${(img.arches ?? []).map((a) => `linux/${a}`).join(', ')})`));
  if (!missing.length) return;
  const shown = arch === machine.trim() ? `linux/${arch}` : `linux/${arch} (uname -m: ${machine.trim()})`;
  throw new ReasonedError('UnsupportedArchitecture',
    `node ${node} is ${shown}, and ${missing.length === 1 ? 'this image has' : 'these images have'} no build for it: ${missing.join('; ')}`);
}
