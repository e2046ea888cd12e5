// Every `ctr images import` on a node runs under one lock: flock(1) on a file beside the node's tarballs. The agent
// imports the node's tarballs at start (some of them seconds after the node turns Ready) and `flotilla images import`
// imports from the host into a running node; two imports of the same image's blobs side by side can leave one of them
// unpacking a layer whose content the other's ending lease let containerd collect ("failed to extract layer …: content
// digest … not found", seen once in a test run). One after another, the second finds everything in and is quick.
import { posix } from 'node:path';

/** The lock file's name, in the directory of the tarball imported. */
export const IMPORT_LOCK_NAME = '.import.lock';

/** How long an import waits for another one on the node before it gives up (seconds). */
export const IMPORT_LOCK_WAIT_S = 600;

/** flock's exit status when the wait ran out (-E), told apart from ctr's own failures. */
export const IMPORT_LOCK_TIMEOUT_EXIT = 75;

export interface CtrImport {
  ctr: string;
  socket: string;
  tarball: string;
  /** Only this platform's content and snapshots (linux/amd64); ctr's default (the node's own) when absent. */
  platform?: string;
}

/** The node's import lock for a tarball. */
export function importLockFile(tarball: string): string {
  return posix.join(posix.dirname(tarball), IMPORT_LOCK_NAME);
}

/** argv of one import into the k8s.io namespace under the node's import lock. */
export function ctrImportArgv(o: CtrImport): string[] {
  return ['flock', '-w', String(IMPORT_LOCK_WAIT_S), '-E', String(IMPORT_LOCK_TIMEOUT_EXIT), importLockFile(o.tarball),
    o.ctr, '--address', o.socket, '-n', 'k8s.io', 'images', 'import', ...(o.platform ? ['--platform', o.platform] : []), o.tarball];
}

/** What a failed import says: flock's timeout in words, else ctr's own output. */
export function importFailure(tarball: string, exitCode: number | null, output: string): string {
  if (exitCode === IMPORT_LOCK_TIMEOUT_EXIT) return `ctr images import ${tarball}: another image import on the node held its lock for ${IMPORT_LOCK_WAIT_S} s`;
  return `ctr images import ${tarball}: ${output}`;
}
