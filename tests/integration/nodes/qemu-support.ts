// Shared by the QEMU tests: the image cache they build into and keep (one build per recipe, across
// test files and runs), and what of a data dir's VMs could be left on the host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

/** Kept on purpose between runs: building the image takes minutes; a changed recipe builds a new one. */
export const QEMU_TEST_IMAGE_CACHE = process.env.FLOTILLA_QEMU_IMAGE_CACHE ?? '/var/cache/flotilla/qemu-images';

/** QEMU processes of the data dir, taps of the sandbox network's prefix, VM directories left; empty when clean. */
export function qemuLeftovers(dataDir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.startsWith('qemu-system') && cmd.includes(dataDir)) out.push(`qemu process ${pid}`);
    } catch { /* exited */ }
  }
  const tap = `${prefix.slice(0, 8)}q`;
  for (const l of execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')) {
    const name = (l.split(': ')[1] ?? '').split('@')[0] ?? '';
    if (name.startsWith(tap)) out.push(`tap ${name}`);
  }
  try {
    for (const n of fs.readdirSync(path.join(dataDir, 'qemu', 'nodes'))) out.push(`VM directory ${n}`);
  } catch { /* none */ }
  return out;
}
