// The architectures the project images are built for, and what builds them on this host: a C compiler
// that makes static binaries for the architecture and a static busybox of it. The host's own
// architecture uses gcc and /usr/bin/busybox; another one a cross gcc and Debian's busybox-static of
// that architecture unpacked under /usr/local/lib/flotilla/<arch>/ (scripts/setup-host.sh does both).
import { existsSync, openSync, readSync, closeSync } from 'node:fs';

export type Arch = 'amd64' | 'arm64';
export const ARCHES: readonly Arch[] = ['amd64', 'arm64'];

/** Debian's name for the architecture's GNU triple and the cross compiler's packages. */
const GNU: Record<Arch, { triple: string; packages: string }> = {
  amd64: { triple: 'x86_64-linux-gnu', packages: 'gcc-x86-64-linux-gnu libc6-dev-amd64-cross' },
  arm64: { triple: 'aarch64-linux-gnu', packages: 'gcc-aarch64-linux-gnu libc6-dev-arm64-cross' },
};

/** ELF e_machine of each architecture (offset 18, little-endian). */
const ELF_MACHINE: Record<Arch, number> = { amd64: 0x3e, arm64: 0xb7 };

export interface Toolchain {
  arch: Arch;
  /** Compiler of static binaries for arch. */
  cc: string;
  /** apt packages that provide cc. */
  ccPackages: string;
  /** A static busybox for arch. */
  busybox: string;
}

/** The host's architecture in OCI terms, if it is one the images are built for. */
export function hostArch(arch: string = process.arch): Arch | undefined {
  return arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
}

/** Where setup-host.sh unpacks a foreign architecture's busybox-static. */
export function foreignBusybox(arch: Arch): string {
  return `/usr/local/lib/flotilla/${arch}/busybox`;
}

/** The compiler and busybox for arch ($FLOTILLA_BUSYBOX_<ARCH> overrides the busybox). */
export function toolchain(arch: Arch): Toolchain {
  const native = arch === hostArch();
  return {
    arch,
    cc: native ? 'gcc' : `${GNU[arch].triple}-gcc`,
    ccPackages: native ? 'gcc libc6-dev' : GNU[arch].packages,
    busybox: process.env[`FLOTILLA_BUSYBOX_${arch.toUpperCase()}`] ?? (native ? '/usr/bin/busybox' : foreignBusybox(arch)),
  };
}

/** The architecture an ELF binary is for, from its header; undefined for a file that is not ELF or of another one. */
export function elfArch(header: Buffer): Arch | undefined {
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const machine = header.readUInt16LE(18);
  return ARCHES.find((a) => ELF_MACHINE[a] === machine);
}

/** Throws a message saying what to install when `file` is missing or not an arch binary. */
export function checkBinary(file: string, arch: Arch, what: string): void {
  if (!existsSync(file)) {
    throw new Error(`building the linux/${arch} images needs ${what} at ${file}, which is missing (scripts/setup-host.sh installs it)`);
  }
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  const found = elfArch(header);
  if (found !== arch) throw new Error(`building the linux/${arch} images needs ${what} for ${arch}, but ${file} is ${found ? `for ${found}` : 'not a binary of a known architecture'}`);
}
