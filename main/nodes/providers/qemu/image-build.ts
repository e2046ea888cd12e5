// Builds the QEMU node image once per recipe (image-recipe.ts) into a cache directory:
// <cache>/<hash>/{base.qcow2, vmlinuz, initrd.img, recipe.json}. No loop mounts, no nbd: mmdebstrap
// into a directory, the image's own files written there, the kernel and initrd copied out of /boot,
// `mkfs.ext4 -d` makes the file system from the directory, `qemu-img convert` the qcow2 that every
// node's overlay is backed by. One builder at a time per cache (a lock directory holding the
// builder's pid); a build that failed or was interrupted leaves nothing the next one would trust.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mustRun } from '../../exec';
import { PollFailure, pollUntil } from '../../../protocol/poll';
import { mmdebstrapArgv, recipeHash, type ImageRecipe } from './image-recipe';
import { GUEST_NODE_BINARY, SEED_UNIT, type GuestFile } from './guest-files';

export interface NodeImage { dir: string; hash: string; base: string; kernel: string; initrd: string; builtNow: boolean; buildMs: number }

const files = (dir: string): { base: string; kernel: string; initrd: string; recipe: string } => ({
  base: path.join(dir, 'base.qcow2'), kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img'), recipe: path.join(dir, 'recipe.json'),
});

function complete(dir: string): boolean {
  const f = files(dir);
  return [f.base, f.kernel, f.initrd, f.recipe].every((p) => fs.existsSync(p));
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Takes <cache>/<hash>.lock (a directory with the holder's pid); a lock whose holder is gone is taken over. */
async function lock(cache: string, hash: string, timeoutMs: number): Promise<() => void> {
  const dir = path.join(cache, `${hash}.lock`);
  await pollUntil(() => {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new PollFailure(`cannot lock the image cache ${cache}: ${(e as Error).message}`);
      const pid = Number(fs.readFileSync(path.join(dir, 'pid'), { encoding: 'utf8', flag: 'a+' }) || '0');
      if (pid && !alive(pid)) fs.rmSync(dir, { recursive: true, force: true });
      return undefined;
    }
  }, timeoutMs, `the QEMU node image build in ${cache} by another process`, 500);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

/** The image for the recipe: the cached one, or built now (minutes: packages are downloaded and installed). */
export async function ensureNodeImage(cache: string, recipe: ImageRecipe, progress: (m: string) => void, timeoutMs = 100 * 60_000): Promise<NodeImage> {
  const hash = recipeHash(recipe);
  const dir = path.join(cache, hash);
  const done = (builtNow: boolean, buildMs: number): NodeImage => ({ dir, hash, ...files(dir), builtNow, buildMs });
  if (complete(dir)) return done(false, 0);
  fs.mkdirSync(cache, { recursive: true, mode: 0o755 });
  const unlock = await lock(cache, hash, timeoutMs);
  try {
    if (complete(dir)) return done(false, 0);
    const t0 = Date.now();
    await build(cache, hash, recipe, progress);
    return done(true, Date.now() - t0);
  } finally {
    unlock();
  }
}

async function build(cache: string, hash: string, recipe: ImageRecipe, progress: (m: string) => void): Promise<void> {
  const work = path.join(cache, `${hash}.build`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const root = path.join(work, 'root');
  try {
    progress(`building the QEMU node image ${hash}: Debian ${recipe.suite} with ${recipe.packages.length} packages (mmdebstrap; minutes, once)`);
    const setup = path.join(work, 'setup');
    writeFiles(setup, recipe.setupFiles);
    await mustRun(mmdebstrapArgv(recipe, root, setup), { timeoutMs: 90 * 60_000 });
    progress('writing the node image\'s own files');
    customise(root, recipe);
    const boot = fs.readdirSync(path.join(root, 'boot'));
    const kernel = boot.find((f) => f.startsWith('vmlinuz-'));
    const initrd = boot.find((f) => f.startsWith('initrd.img-'));
    if (!kernel || !initrd) throw new Error(`the image has no kernel or initrd in /boot (found: ${boot.join(', ') || 'nothing'})`);
    const f = files(work);
    fs.copyFileSync(path.join(root, 'boot', kernel), f.kernel);
    fs.copyFileSync(path.join(root, 'boot', initrd), f.initrd);
    progress('making the node image\'s file system (mkfs.ext4 -d, qemu-img convert)');
    const raw = path.join(work, 'root.raw');
    await mustRun(['mkfs.ext4', '-q', '-F', '-L', 'flotilla-root', '-d', root, raw, `${recipe.rootMiB}M`]);
    await mustRun(['qemu-img', 'convert', '-O', 'qcow2', raw, f.base]);
    fs.rmSync(raw, { force: true });
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(setup, { recursive: true, force: true });
    fs.writeFileSync(f.recipe, `${JSON.stringify({ hash, kernel, initrd, ...recipe, files: recipe.files.map((x) => x.path) }, null, 2)}\n`);
    fs.renameSync(work, path.join(cache, hash));
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

function writeFiles(root: string, list: GuestFile[]): void {
  for (const f of list) {
    const to = path.join(root, f.path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, f.content, { mode: f.mode });
    fs.chmodSync(to, f.mode);
  }
}

/** The image's own files in the root directory: first-boot unit enabled, the distro's containerd off, no host keys of its own, the agent's Node.js. */
function customise(root: string, recipe: ImageRecipe): void {
  const at = (p: string): string => path.join(root, p);
  writeFiles(root, recipe.files);
  const wants = at('/etc/systemd/system/multi-user.target.wants');
  fs.mkdirSync(wants, { recursive: true });
  fs.rmSync(path.join(wants, SEED_UNIT), { force: true });
  fs.symlinkSync(`/etc/systemd/system/${SEED_UNIT}`, path.join(wants, SEED_UNIT));
  for (const unit of recipe.disabledUnits) {
    for (const d of fs.readdirSync(at('/etc/systemd/system'))) {
      if (d.endsWith('.wants')) fs.rmSync(path.join(at('/etc/systemd/system'), d, unit), { force: true });
    }
  }
  for (const k of fs.readdirSync(at('/etc/ssh'))) if (k.startsWith('ssh_host_')) fs.rmSync(at(`/etc/ssh/${k}`), { force: true });
  fs.writeFileSync(at('/etc/machine-id'), '');
  fs.copyFileSync(recipe.node.path, at(GUEST_NODE_BINARY));
  fs.chmodSync(at(GUEST_NODE_BINARY), 0o755);
}
