// Removes a pod's cgroup directories (containerd never does) in every v1 controller and in the unified hierarchy.
import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/sys/fs/cgroup';

function removeTree(dir: string): void {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    try { if (statSync(p).isDirectory()) removeTree(p); } catch { /* raced */ }
  }
  try { rmdirSync(dir); } catch { /* busy or gone */ }
}

/** rmdir, deepest first, of `relPath` (e.g. /flotilla/pod<uid>) under every hierarchy; non-empty cgroups stay. */
export function removeCgroup(relPath: string): void {
  const rel = relPath.replace(/^\/+/, '');
  if (!rel) return;
  let hierarchies: string[];
  try { hierarchies = readdirSync(ROOT); } catch { return; }
  for (const h of hierarchies) {
    const dir = join(ROOT, h, rel);
    try { if (statSync(dir).isDirectory()) removeTree(dir); } catch { /* absent */ }
  }
  try { if (statSync(join(ROOT, rel)).isDirectory()) removeTree(join(ROOT, rel)); } catch { /* absent (cgroup v1) */ }
}
