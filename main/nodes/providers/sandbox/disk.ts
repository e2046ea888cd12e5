// A sandbox node's own disk: a sparse ext4 image of the Machine's diskGiB (D/sandbox/nodes/<name>/disk.img),
// loop-mounted over the node's fs/ directory, so everything bound into the node (containerd's images and snapshots,
// /var/lib/flotilla, pod logs and volumes) lives on a filesystem of the size the user asked for. The kubelet measures
// nodefs there (capacity and ephemeral-storage are the Machine's disk), and filling it reaches the eviction threshold
// without touching the host's free space: the fill is preallocated (unwritten extents), so the sparse image barely grows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mustRun, runCmd } from '../../exec';
import { pollUntil } from '../../../protocol/poll';
import { nodeDirs } from './node-state';

export function diskImagePath(dataDir: string, name: string): string {
  return path.join(nodeDirs(dataDir, name).dir, 'disk.img');
}

function mountedAt(target: string): boolean {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === target);
}

/** Creates the image (sparse; no zeroing of inode tables or journal) when it does not exist yet. */
export async function ensureDiskImage(dataDir: string, name: string, diskGiB: number): Promise<void> {
  const img = diskImagePath(dataDir, name);
  if (fs.existsSync(img)) return;
  const tmp = `${img}.new`;
  fs.rmSync(tmp, { force: true });
  fs.mkdirSync(path.dirname(img), { recursive: true });
  fs.closeSync(fs.openSync(tmp, 'w'));
  fs.truncateSync(tmp, diskGiB * 2 ** 30);
  // -m 0: no blocks reserved for root (the node's processes run as root anyway; a kubelet's nodefs.available is
  // what statfs gives as available). Lazy inode tables and journal: nothing zeroed, the file stays sparse.
  await mustRun(['mkfs.ext4', '-q', '-F', '-m', '0', '-L', `flotilla-${name}`.slice(0, 16),
    '-E', 'lazy_itable_init=1,lazy_journal_init=1,nodiscard', tmp]);
  fs.renameSync(tmp, img);
}

/**
 * Mounts the node's disk over its fs/ directory (idempotent). `noinit_itable` keeps the kernel from zeroing inode
 * tables in the background, which would fill the sparse image with zeros.
 */
export async function mountNodeDisk(dataDir: string, name: string): Promise<boolean> {
  const img = diskImagePath(dataDir, name);
  const target = nodeDirs(dataDir, name).fs;
  if (!fs.existsSync(img)) return false;
  if (mountedAt(target)) return true;
  fs.mkdirSync(target, { recursive: true });
  await mustRun(['mount', '-t', 'ext4', '-o', 'loop,noinit_itable', img, target]);
  return true;
}

/** Makes (when new) and mounts a node's disk of `diskGiB`. */
export async function prepareNodeDisk(dataDir: string, name: string, diskGiB: number): Promise<void> {
  await ensureDiskImage(dataDir, name, diskGiB);
  await mountNodeDisk(dataDir, name);
}

/** The attached loop devices and their backing files, as /sys/block shows them (a deleted file without " (deleted)"). */
export function attachedLoopDevices(): Array<{ device: string; file: string }> {
  let names: string[];
  try { names = fs.readdirSync('/sys/block').filter((n) => n.startsWith('loop')); } catch { return []; }
  return names.flatMap((n) => {
    try {
      return [{ device: `/dev/${n}`, file: fs.readFileSync(`/sys/block/${n}/loop/backing_file`, 'utf8').trim().replace(/ \(deleted\)$/, '') }];
    } catch {
      return []; // not attached
    }
  });
}

function loopDevicesOf(file: string): string[] {
  return attachedLoopDevices().filter((l) => l.file === file).map((l) => l.device);
}

/**
 * After the node's mounts are gone: waits for the kernel to release the loop device (autoclear happens once the node's
 * mount namespace lets go of the filesystem, a moment after its processes exit), and detaches it if it stays.
 */
export async function releaseNodeDisk(dataDir: string, name: string, timeoutMs = 5_000): Promise<void> {
  const img = diskImagePath(dataDir, name);
  const free = await pollUntil(() => loopDevicesOf(img).length === 0, timeoutMs, `loop device of ${img} released`, 50).then(() => true, () => false);
  if (free) return;
  // On a device still in use, LOOP_CLR_FD only marks it for autoclear: it goes with its last user.
  for (const dev of loopDevicesOf(img)) await runCmd(['losetup', '-d', dev]);
}
