// The data dir's disk full: the API server's data dir on an 8 MiB tmpfs, filled. Writes fail with a 500 Status
// naming "no space left on device" and the data dir (as kube-apiserver answers 500 when etcd is out of space;
// Kubernetes has no 507), a batch of concurrent writes fails together, reads, lists and watches go on, no revision
// is spent on a failed write, the SQLite file passes integrity_check, and once space is freed writes succeed again
// without a restart. Mounts a tmpfs: root only (skipped with the reason otherwise, never when CI=true).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { waitFor } from '../../helpers/wait';
import { rawWatch } from '../../helpers/raw-watch';
import { R } from '../../../main/client/refs';
import { ClientError } from '../../../main/client/types';
import type { ConfigMap } from '../../../main/api/types';
import { openStore } from '../../../main/store/sqlite-store';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('disk-full test: CI runs as root, and this test must run there');

let mnt = '';
let mounted = false;
let c: TestCluster | undefined;

beforeAll(async () => {
  if (!isRoot) return;
  mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-diskfull-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', mnt]);
  mounted = true;
  c = await startTestCluster({ dataDir: path.join(mnt, 'data'), controllers: false, metrics: false, tracing: { enabled: false } });
}, 60_000);

afterAll(async () => {
  try {
    await c?.stop();
  } finally {
    if (mounted) execFileSync('umount', [mnt]);
    if (mnt) fs.rmSync(mnt, { recursive: true, force: true });
  }
});

const cm = (name: string, bytes = 0): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v: 'x'.repeat(bytes) } });

/** Writes a file until the file system has no room left (ENOSPC), in ever smaller pieces. */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 1 << 16, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          if (fs.writeSync(fd, chunk) < size) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

async function failure(p: Promise<unknown>): Promise<ClientError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ClientError)) throw new Error(`expected the API's error, got ${e === undefined ? 'success' : e instanceof Error ? e.message : JSON.stringify(e)}`);
  return e;
}

describe.skipIf(!isRoot)('the data dir\'s disk full', () => {
  it('refuses writes with a 500 naming the cause, serves reads and watches, and writes again once there is room', async () => {
    const k = c!;
    const dataDir = path.join(mnt, 'data');
    const before = await k.client.create<ConfigMap>(R.configmaps, cm('before'));
    const watch = rawWatch(k, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${before.metadata!.resourceVersion}`);
    expect((await watch.response).code).toBe(200);

    fill(path.join(mnt, 'filler'));
    // SQLite may still find room in pages its files already have: write 256 KiB objects until one is refused.
    const stored: string[] = [];
    let refused: ClientError | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const name = `fill-${i}`;
      const r = await k.client.create(R.configmaps, cm(name, 256 << 10)).then(() => undefined, (e: unknown) => e);
      if (r === undefined) stored.push(name);
      else if (r instanceof ClientError) refused = r;
      else throw r instanceof Error ? r : new Error(JSON.stringify(r));
    }
    expect(refused, 'a write refused for want of space').toBeDefined();
    expect(refused!.code).toBe(500);
    expect(refused!.status).toMatchObject({ kind: 'Status', status: 'Failure', code: 500, reason: 'InternalError' });
    expect(refused!.status!.message).toContain('no space left on device');
    expect(refused!.status!.message).toContain(`the data dir ${dataDir}`);
    const revisionAtFailure = k.core.store.revision;

    // Writes in flight together (one batch, one transaction) all fail; the store's revision does not move.
    const batch = await Promise.all(['b-1', 'b-2', 'b-3'].map((n) => failure(k.client.create(R.configmaps, cm(n, 256 << 10)))));
    expect(batch.map((e) => e.code)).toEqual([500, 500, 500]);
    expect(k.core.store.revision).toBe(revisionAtFailure);

    // Reads go on: get, list, a refused object is not there, a new watch replays from the log.
    expect((await k.client.get<ConfigMap>(R.configmaps, 'before', 'default')).data).toEqual({ v: '' });
    const names = (await k.client.list<ConfigMap>(R.configmaps, { namespace: 'default' })).items.map((o) => o.metadata!.name);
    expect(names.sort()).toEqual(['before', ...stored].sort());
    expect((await failure(k.client.get(R.configmaps, 'b-1', 'default'))).code).toBe(404);
    const replay = rawWatch(k, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${Number(before.metadata!.resourceVersion) - 1}`);
    expect((await replay.response).code).toBe(200);
    await waitFor(() => replay.events.length === 1 + stored.length, 'the new watch to replay the stored writes');
    replay.close();
    expect(replay.events.map((e) => e.object.metadata?.name)).toEqual(['before', ...stored]);
    expect(watch.events.map((e) => e.object.metadata?.name)).toEqual(stored);

    // Room again: the next write succeeds, without a restart, at the very next revision; the watch sees it.
    fs.rmSync(path.join(mnt, 'filler'));
    const after = await k.client.create<ConfigMap>(R.configmaps, cm('after', 256 << 10));
    expect(Number(after.metadata!.resourceVersion)).toBe(revisionAtFailure + 1);
    await waitFor(() => watch.events.some((e) => e.object.metadata?.name === 'after'), 'the watch to see the write after the disk had room');
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual([...stored, 'after'].map((n) => `ADDED ${n}`));
    watch.close();

    // Nothing corrupted: SQLite's integrity check, and the reopened store holds exactly what was acknowledged.
    await k.stop();
    c = undefined;
    const db = new Database(path.join(dataDir, 'state.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const reopened = openStore({ path: path.join(dataDir, 'state.db'), autoCompactMs: 0 });
    try {
      expect(reopened.revision).toBe(revisionAtFailure + 1);
      const keys = reopened.list('/registry/core/configmaps/default/').items.map((kv) => kv.key.split('/').pop());
      expect(keys.sort()).toEqual(['after', 'before', ...stored].sort());
    } finally {
      reopened.close();
    }
  }, 180_000);
});
