// `flotilla images build DIR`: builds with buildah and pushes (main/nodes/image-build.ts), the progress printed.
// `flotilla images import FILE.tar`: imports an image tarball into every running
// node (SFTP + `ctr -n k8s.io images import`), and keeps it so that nodes added later get it too.
import * as fs from 'node:fs';
import type { ImagesBuildOptions, ImagesImportOptions } from './commands';
import { importImageIntoNodes, keepImage } from '../nodes/image-import';
import { buildImage } from '../nodes/image-build';

export async function imagesImport({ file, dataDir }: ImagesImportOptions): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const r = await importImageIntoNodes(dataDir, keepImage(dataDir, file));
  for (const i of r.imported) console.log(`${i.node}: ${i.output}`);
  for (const f of r.failures) console.error(`flotilla images: ${f.node}: ${f.error}`);
  console.log(`imported into ${r.imported.length} node(s); nodes added later get it too`);
  if (r.failures.length) throw new Error(`import failed on ${r.failures.length} node(s)`);
}

/** `flotilla images build DIR [-t NAME:TAG] [-f Dockerfile] [--registry HOST:PORT] [--build-arg K=V]...` */
export async function imagesBuild({ dir, tag, file, registry, buildArg, dataDir }: ImagesBuildOptions): Promise<void> {
  const r = await buildImage({ dir, name: tag, dockerfile: file, registry, buildArgs: buildArg, dataDir, onLine: (l) => console.log(l) });
  console.log(`pushed ${r.image}@${r.digest}`);
}
