// Builds the OCI image tarballs: `npx tsx vm-images/images/build-images.ts [outDir]` (default vm-images/images/out/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

export function buildImages(outDir: string): BuiltImage[] {
  mkdirSync(outDir, { recursive: true });
  const specs: ImageSpec[] = [pauseImage(), helloImage(), counterImage()];
  return specs.map((spec) => {
    const data = buildImageArchive(spec);
    const file = join(outDir, imageFileName(spec.ref));
    writeFileSync(file, data);
    return { ref: spec.ref, file, bytes: data.length };
  });
}

if (require.main === module) {
  const outDir = resolve(process.argv[2] ?? join(__dirname, 'out'));
  for (const image of buildImages(outDir)) console.log(`${image.ref}\t${image.file}\t${image.bytes} bytes`);
}
