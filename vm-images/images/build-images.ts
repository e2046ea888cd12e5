// Builds the project's image tarballs, each an OCI image index with a manifest per architecture (the command is build.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImageArchive, type ImageSpec } from './oci';
import { pauseImage } from './pause';
import { helloImage } from './hello';
import { counterImage } from './counter';
import { ARCHES, toolchain, type Arch, type Toolchain } from './platforms';

export interface BuiltImage { ref: string; file: string; bytes: number; arches: Arch[] }

export interface BuildOptions {
  /** pause.c (default: beside pause.ts). */
  pauseSource?: string;
  /** The architectures to build (default: $FLOTILLA_IMAGE_ARCHES, comma-separated, else amd64 and arm64). */
  arches?: readonly Arch[];
}

/** File name for a reference: docker.io/flotilla/hello:1 → hello.tar */
export function imageFileName(ref: string): string {
  const repo = ref.slice(ref.lastIndexOf('/') + 1);
  return `${repo.slice(0, repo.indexOf(':'))}.tar`;
}

/** The architectures named by a comma-separated list (e.g. $FLOTILLA_IMAGE_ARCHES); throws on one that is not built. */
export function parseArches(list: string): Arch[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(ARCHES as readonly string[]).includes(n));
  if (bad.length || !names.length) throw new Error(`image architectures "${list}": each must be one of ${ARCHES.join(', ')}`);
  return [...new Set(names as Arch[])];
}

const IMAGES: Array<(tc: Toolchain, pauseSource?: string) => ImageSpec> = [pauseImage, helloImage, counterImage];

/** Builds every project image for every architecture into outDir. */
export function buildImages(outDir: string, opts: BuildOptions = {}): BuiltImage[] {
  const env = process.env.FLOTILLA_IMAGE_ARCHES;
  const arches = opts.arches ?? (env ? parseArches(env) : ARCHES);
  const toolchains = arches.map(toolchain);
  const builds = IMAGES.map((image) => toolchains.map((tc) => ({ arch: tc.arch, spec: image(tc, opts.pauseSource) })));
  mkdirSync(outDir, { recursive: true });
  return builds.map((perArch) => {
    const data = buildImageArchive(perArch);
    const ref = perArch[0]?.spec.ref ?? '';
    const file = join(outDir, imageFileName(ref));
    writeFileSync(file, data);
    return { ref, file, bytes: data.length, arches: [...arches] };
  });
}
