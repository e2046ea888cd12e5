// Imports an image tarball into every running node (SFTP + `ctr -n k8s.io images import`), used by
// `flotilla images import` and by the UI when a tarball is dropped on the window. The tarball is also
// kept in the data dir so nodes added later get it when they are bootstrapped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProviders } from './providers';
import { extraImagesDir } from './artifacts';
import { connectSsh } from './ssh';
import { NODE } from './node-paths';
import { errorMessage } from './exec';

export interface ImageImportResult {
  /** The kept copy, shipped to nodes added later. */
  kept: string;
  imported: Array<{ node: string; output: string }>;
  failures: Array<{ node: string; error: string }>;
}

/** Copies `file` into the data dir's image directory (as NAME.tar) and returns the kept path. */
export function keepImage(dataDir: string, file: string): string {
  const keep = path.join(extraImagesDir(dataDir), path.basename(file).replace(/\.(tar|oci)$/, '') + '.tar');
  fs.mkdirSync(path.dirname(keep), { recursive: true });
  if (path.resolve(file) !== path.resolve(keep)) fs.copyFileSync(file, keep);
  return keep;
}

/** Imports an already kept tarball into every running machine of every available provider. */
export async function importImageIntoNodes(dataDir: string, kept: string): Promise<ImageImportResult> {
  const result: ImageImportResult = { kept, imported: [], failures: [] };
  for (const p of createProviders({ dataDir }).values()) {
    if (!(await p.available()).ok) continue;
    for (const m of await p.list()) {
      if (m.state !== 'Running' || !m.ssh) continue;
      try {
        const s = await connectSsh(m.ssh);
        try {
          const remote = `${NODE.imagesDir}/${path.basename(kept)}`;
          const sftp = await s.sftp();
          await new Promise<void>((resolve, reject) => sftp.fastPut(kept, remote, (e) => (e ? reject(e) : resolve())));
          sftp.end();
          const out = await s.run(`PATH=${NODE.path} ctr --address ${NODE.containerdSocket} -n k8s.io images import ${remote}`);
          result.imported.push({ node: m.name, output: out.trim() || 'imported' });
        } finally {
          s.close();
        }
      } catch (e) {
        result.failures.push({ node: m.name, error: errorMessage(e) });
      }
    }
  }
  return result;
}
