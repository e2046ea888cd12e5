// `flotilla images import FILE.tar [--data-dir D]`: imports an image tarball into every running
// node (SFTP + `ctr -n k8s.io images import`), and keeps it so that nodes added later get it too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { dataDirFrom } from './data-dir';
import { createProviders } from '../nodes/providers';
import { extraImagesDir } from '../nodes/artifacts';
import { connectSsh } from '../nodes/ssh';
import { NODE } from '../nodes/node-paths';
import { errorMessage } from '../nodes/exec';

export async function images(args: ParsedArgs): Promise<void> {
  const [, sub, file] = args.positional;
  if (sub !== 'import' || !file) throw new UsageError('images import FILE.tar');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const dataDir = dataDirFrom(args);
  const keep = path.join(extraImagesDir(dataDir), path.basename(file).replace(/(\.tar)?$/, '.tar'));
  fs.mkdirSync(path.dirname(keep), { recursive: true });
  fs.copyFileSync(file, keep);
  let ok = 0;
  const failures: string[] = [];
  for (const p of createProviders({ dataDir }).values()) {
    if (!(await p.available()).ok) continue;
    for (const m of await p.list()) {
      if (m.state !== 'Running' || !m.ssh) continue;
      try {
        const s = await connectSsh(m.ssh);
        try {
          const remote = `${NODE.imagesDir}/${path.basename(keep)}`;
          const sftp = await s.sftp();
          await new Promise<void>((resolve, reject) => sftp.fastPut(keep, remote, (e) => (e ? reject(e) : resolve())));
          sftp.end();
          const out = await s.run(`PATH=${NODE.path} ctr --address ${NODE.containerdSocket} -n k8s.io images import ${remote}`);
          console.log(`${m.name}: ${out.trim() || 'imported'}`);
          ok += 1;
        } finally {
          s.close();
        }
      } catch (e) {
        failures.push(`${m.name}: ${errorMessage(e)}`);
      }
    }
  }
  for (const f of failures) console.error(`flotilla images: ${f}`);
  console.log(`imported into ${ok} node(s); nodes added later get it too`);
  if (failures.length) throw new Error(`import failed on ${failures.length} node(s)`);
}
