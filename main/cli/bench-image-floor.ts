// bench image's floors, on the local disk in the same run: the (`skopeo copy` of the image from one OCI folder to
// another: blobs fetched, checked and stored once, nothing unpacked) and one that does what N nodes' pulls must do at
// the least (N such copies at once, each followed by unpacking its layers with tar, as a snapshotter does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mustRun } from '../nodes/exec';
import { nowMs } from './bench-report';

export interface Floors {
  /** One `skopeo copy oci → oci`, ms. */
  copy: number;
  /** `copies` copies at once, each with its layers unpacked, ms. */
  copyAndUnpack: number;
}

interface Descriptor { digest: string }

/** The layer blobs of the OCI folder's only image, in order (its index names one manifest). */
function layerBlobs(layout: string): string[] {
  const blob = (d: Descriptor): string => path.join(layout, 'blobs', ...d.digest.split(':'));
  const index = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const top = index.manifests[0];
  if (!top) throw new Error(`${layout}: no image in index.json`);
  const manifest = JSON.parse(fs.readFileSync(blob(top), 'utf8')) as { layers?: Descriptor[] };
  if (!manifest.layers) throw new Error(`${layout}: index.json names no image manifest`);
  return manifest.layers.map(blob);
}

/** `image` (in a registry reached over plain HTTP) copied to an OCI folder first, untimed; then both floors. */
export async function measureFloors(dir: string, image: string, copies: number): Promise<Floors> {
  const src = path.join(dir, 'floor-src');
  await mustRun(['skopeo', 'copy', '--src-tls-verify=false', `docker://${image}`, `oci:${src}:bench`]);
  let t0 = nowMs();
  await mustRun(['skopeo', 'copy', `oci:${src}:bench`, `oci:${path.join(dir, 'floor-copy')}:bench`]);
  const copy = nowMs() - t0;
  t0 = nowMs();
  await Promise.all(Array.from({ length: copies }, async (_, i) => {
    const dest = path.join(dir, `floor-node-${i}`);
    const rootfs = path.join(dir, `floor-rootfs-${i}`);
    await mustRun(['skopeo', 'copy', `oci:${src}:bench`, `oci:${dest}:bench`]);
    fs.mkdirSync(rootfs);
    // GNU tar finds a layer's compression (gzip, zstd) itself.
    for (const layer of layerBlobs(dest)) await mustRun(['tar', '-xf', layer, '-C', rootfs]);
  }));
  const copyAndUnpack = nowMs() - t0;
  return { copy, copyAndUnpack };
}
