// `flotilla images import FILE.tar [--data-dir D]`: imports an image tarball into every running
// node (SFTP + `ctr -n k8s.io images import`), and keeps it so that nodes added later get it too.
import * as fs from 'node:fs';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { dataDirFrom } from './data-dir';
import { importImageIntoNodes, keepImage } from '../nodes/image-import';

export async function images(args: ParsedArgs): Promise<void> {
  const [, sub, file] = args.positional;
  if (sub !== 'import' || !file) throw new UsageError('images import FILE.tar');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  const dataDir = dataDirFrom(args);
  const r = await importImageIntoNodes(dataDir, keepImage(dataDir, file));
  for (const i of r.imported) console.log(`${i.node}: ${i.output}`);
  for (const f of r.failures) console.error(`flotilla images: ${f.node}: ${f.error}`);
  console.log(`imported into ${r.imported.length} node(s); nodes added later get it too`);
  if (r.failures.length) throw new Error(`import failed on ${r.failures.length} node(s)`);
}
