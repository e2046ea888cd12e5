// Image tarballs dropped onto the UI: kept in the data dir's imported-images directory, which the
// machine controller ships to every node it bootstraps. Pushing into running nodes is the CLI's job
// (`flotilla images import`) until the bridge can reach the node agents itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extraImagesDir } from '../nodes/artifacts';
import { BridgeFailure } from './errors';

/** True for a tar archive (POSIX ustar magic at offset 257). */
export function looksLikeTar(data: Buffer): boolean {
  return data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar';
}

export function keepImageTarball(dataDir: string, fileName: string, data: Buffer): string {
  const base = path.basename(fileName);
  if (!looksLikeTar(data)) throw new BridgeFailure(400, 'BadRequest', `${base} is not a tar archive: export an image with \`docker save\`, \`podman save\` or \`ctr images export\` and drop that file`);
  const dir = extraImagesDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const keep = path.join(dir, base.replace(/\.(tar|oci)$/, '') + '.tar');
  fs.writeFileSync(keep, data);
  return `Saved ${base}: every node added from now on gets it. For nodes already running, run \`flotilla images import ${base}\`.`;
}
