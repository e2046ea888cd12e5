// Image tarballs dropped onto the UI: imported into every running node and kept in the data dir's
// imported-images directory, which the machine controller ships to every node it bootstraps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extraImagesDir } from '../nodes/artifacts';
import { BridgeFailure } from './errors';
import { importImageIntoNodes } from '../nodes/image-import';
import { pushTarballToRegistry } from '../nodes/registry/push-tarball';

/** True for a tar archive (POSIX ustar magic at offset 257). */
export function looksLikeTar(data: Buffer): boolean {
  return data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar';
}

/** Imports the tarball into every node and, when there is a built-in registry on registryPort, pushes its images there too. */
export async function importImageTarball(dataDir: string, fileName: string, data: Buffer, registryPort?: number): Promise<string> {
  const base = path.basename(fileName);
  if (!looksLikeTar(data)) throw new BridgeFailure(400, 'BadRequest', `${base} is not a tar archive: export an image with \`docker save\`, \`podman save\` or \`ctr images export\` and drop that file`);
  const dir = extraImagesDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const kept = path.join(dir, base.replace(/\.(tar|oci)$/, '') + '.tar');
  fs.writeFileSync(kept, data);
  const pushing = registryPort ? pushTarballToRegistry(kept, registryPort).then(
    (refs) => ` Pushed to the built-in registry as ${refs.join(', ')}.`,
    (e: unknown) => ` Pushing to the built-in registry failed: ${e instanceof Error ? e.message : String(e)}.`,
  ) : Promise.resolve('');
  const r = await importImageIntoNodes(dataDir, kept);
  const pushed = await pushing;
  const failed = r.failures.map((f) => `${f.node} (${f.error})`).join(', ');
  if (r.failures.length && !r.imported.length) throw new BridgeFailure(502, 'ImportFailed', `Importing ${base} failed on ${failed}; nodes added from now on still get it.${pushed}`);
  const into = r.imported.length ? `Imported ${base} into ${r.imported.map((i) => i.node).join(', ')}` : `Saved ${base} (no node is running yet)`;
  return `${into}${failed ? `; failed on ${failed}` : ''}. Every node added from now on gets it too.${pushed}`;
}
