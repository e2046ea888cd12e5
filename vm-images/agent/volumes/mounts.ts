// tmpfs mounts of the node (memory-backed emptyDir, secret and projected volumes) and finding the mounts
// below a pod's directory in /proc/self/mountinfo, so teardown unmounts them before removing anything.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, (err, _out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve()));
  });
}

/** Mount points in this mount namespace, decoded (mountinfo escapes spaces as \040). */
export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter(Boolean);
}

export function isMountPoint(dir: string): boolean {
  return mountPoints().includes(dir);
}

/** Mounts a tmpfs on dir unless one is there already (an agent restart); `size` in bytes, if limited. */
export async function mountTmpfs(dir: string, size?: number): Promise<void> {
  if (isMountPoint(dir)) return;
  await run('mount', ['-t', 'tmpfs', '-o', size ? `size=${size}` : 'mode=0755', 'tmpfs', dir]);
}

/** Unmounts everything at or below dir, deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const below = mountPoints().filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
  for (const m of below) await run('umount', [m]);
}
