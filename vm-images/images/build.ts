// `npx tsx vm-images/images/build.ts [outDir]` (default vm-images/images/out/): builds the demo image tarballs.
// A command of its own, so that bundling build-images.ts into the app never runs it.
import { join, resolve } from 'node:path';
import { buildImages } from './build-images';

const outDir = resolve(process.argv[2] ?? join(__dirname, 'out'));
for (const image of buildImages(outDir)) console.log(`${image.ref}\t${image.file}\t${image.bytes} bytes`);
