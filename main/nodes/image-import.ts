// Imports an image tarball into every running node (SFTP + `ctr -n k8s.io images import` under the node's import lock), used by
// `flotilla images import` and by the UI when a tarball is dropped on the window. The tarball is also
// kept in the data dir so nodes added later get it when they are bootstrapped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createProviders } from './providers';
import { extraImagesDir } from './artifacts';
import { connectSsh, failureDetail } from './ssh';
import { NODE } from './node-paths';
import { errorMessage } from './exec';
import { ctrImportArgv, importFailure } from '../protocol/image-import-lock';
import { shellQuote } from './shell-quote';

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
          // Written beside and moved over it: an import of the same tarball the agent may be reading never sees it
          // half-written.
          const remote = `${NODE.imagesDir}/${path.basename(kept)}`;
          const part = `${remote}.part-${process.pid}-${Date.now()}`;
          const sftp = await s.sftp();
          try {
            await new Promise<void>((resolve, reject) => sftp.fastPut(kept, part, (e) => (e ? reject(e) : resolve())));
          } catch (e) {
            await s.exec(`rm -f ${shellQuote(part)}`).catch(() => undefined);
            throw e;
          } finally {
            sftp.end();
          }
          const argv = ctrImportArgv({ ctr: 'ctr', socket: NODE.containerdSocket, tarball: remote });
          const r = await s.exec(`export PATH=${NODE.path}; mv -f ${shellQuote(part)} ${shellQuote(remote)} && exec ${argv.map(shellQuote).join(' ')}`);
          if (r.code !== 0) throw new Error(importFailure(remote, r.code, failureDetail(r)));
          result.imported.push({ node: m.name, output: r.stdout.trim() || 'imported' });
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
