// `npx tsx vm-images/images/build.ts [outDir]` (default vm-images/images/out/): builds the demo image tarballs,
// each for amd64 and arm64 ($FLOTILLA_IMAGE_ARCHES=amd64 for fewer). A command of its own, so that bundling
// build-images.ts into the app never runs it. The images are Linux binaries (gcc -static and a cross gcc,
// busybox-static of each architecture): elsewhere (macOS) they are skipped and expected prebuilt.
import { join, resolve } from 'node:path';
import { buildImages } from './build-images';

const outDir = resolve(process.argv[2] ?? join(__dirname, 'out'));
if (process.platform !== 'linux') {
  console.log(`Skipping the demo images on ${process.platform}: they are built on Linux (npm run build there) and copied to ${outDir}.`);
} else {
  for (const image of buildImages(outDir)) console.log(`${image.ref}\t${image.file}\t${image.bytes} bytes`);
}
