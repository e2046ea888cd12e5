// Bytes a pull has fetched so far. CRI reports nothing until PullImage returns, so this reads
// containerd's content store, which every pull writes through: blobs being fetched are ingests
// (`ingest/<key>/data`, growing), fetched ones are committed to `blobs/sha256/<digest>`. Bytes so far =
// the ingests' data plus the blobs committed since the pull began. The store is the node's: pulls
// running at the same time share the count. Its directory is found from CRI's ImageFsInfo (the
// snapshotter's directory sits beside the content store under containerd's root).
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CriClient } from '../cri/client';

const CONTENT_PLUGIN = 'io.containerd.content.v1.content';

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function size(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

/** containerd's content store directory, from the image filesystem CRI reports; undefined when unknown. */
export async function contentStoreDir(cri: CriClient): Promise<string | undefined> {
  const fs = await cri.imageFsInfo().catch(() => []);
  const mount = fs[0]?.fs_id?.mountpoint;
  return mount ? join(dirname(mount), CONTENT_PLUGIN) : undefined;
}

/** One pull's view of the content store: `bytes()` samples what has been fetched since `start`. */
export class PullProgress {
  private readonly committed = new Map<string, number>();

  private constructor(private readonly dir: string, private readonly before: ReadonlySet<string>) {}

  static async start(dir: string): Promise<PullProgress> {
    return new PullProgress(dir, new Set(await names(join(dir, 'blobs', 'sha256'))));
  }

  async bytes(): Promise<number> {
    // Committed blobs first, ingests second: containerd commits by renaming an ingest's data into
    // blobs/, so in this order a blob committed between the two listings is missed once (the next
    // sample counts it) instead of counted twice.
    let total = 0;
    for (const digest of await names(join(this.dir, 'blobs', 'sha256'))) {
      if (this.before.has(digest)) continue;
      let n = this.committed.get(digest);
      if (n === undefined) {
        n = await size(join(this.dir, 'blobs', 'sha256', digest));
        this.committed.set(digest, n); // a committed blob never changes
      }
      total += n;
    }
    for (const key of await names(join(this.dir, 'ingest'))) total += await size(join(this.dir, 'ingest', key, 'data'));
    return total;
  }
}

/** Bytes as the UI shows them: 512 B, 12.3 kB, 45.6 MB, 1.2 GB (decimal units, as registries and docker print). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(1)} ${units[i]}`;
}
