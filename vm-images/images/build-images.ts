// Builds the OCI image tarballs (the command is build.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImageArchive, type ImageSpec } from './oci';
import { pauseImage } from './pause';
import { helloImage } from './hello';
import { counterImage } from './counter';

export interface BuiltImage { ref: string; file: string; bytes: number }

/** File name for a reference: docker.io/flotilla/hello:1 → hello.tar */
export function imageFileName(ref: string): string {
  const repo = ref.slice(ref.lastIndexOf('/') + 1);
  return `${repo.slice(0, repo.indexOf(':'))}.tar`;
}

/** Builds every demo image into outDir; `pauseSource` is pause.c (default: beside pause.ts). */
export function buildImages(outDir: string, pauseSource?: string): BuiltImage[] {
  mkdirSync(outDir, { recursive: true });
  const specs: ImageSpec[] = [pauseImage(pauseSource), helloImage(), counterImage()];
  return specs.map((spec) => {
    const data = buildImageArchive(spec);
    const file = join(outDir, imageFileName(spec.ref));
    writeFileSync(file, data);
    return { ref: spec.ref, file, bytes: data.length };
  });
}
