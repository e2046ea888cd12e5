// Informers against our API server (in-process): cache and handlers, resume after a watch ends,
// and a re-list after 410 Expired that reconciles the cache.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject, ConfigMap, KList, KObject, WatchEvent } from '../../../main/api/types';
import type { Core } from '../../../main/core';
import { startCore } from '../../../main/core';
import type { ApiClient, DeleteOpts, ListOptions, PatchKind, PatchOpts, ResourceRef, WatchHandle, WatchOptions, WriteOpts } from '../../../main/client/types';
import { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';

let core: Core;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-inf-'));
  core = await startCore({ dataDir: dir, apiPort: 0, log: () => undefined, controllers: false });
});
afterAll(async () => {
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The real client, whose watches the test can end (as a server timeout or a dropped connection would). */
class DroppableClient implements ApiClient {
  private readonly open = new Set<{ h: WatchHandle; close: (e?: Error) => void }>();
  lists = 0;
  constructor(private readonly c: ApiClient) {}
  get<T extends ApiObject = KObject>(r: ResourceRef, name: string, ns?: string): Promise<T> { return this.c.get<T>(r, name, ns); }
  create<T extends ApiObject = KObject>(r: ResourceRef, o: T, w?: WriteOpts): Promise<T> { return this.c.create<T>(r, o, w); }
  update<T extends ApiObject = KObject>(r: ResourceRef, o: T, w?: WriteOpts): Promise<T> { return this.c.update<T>(r, o, w); }
  patch<T extends ApiObject = KObject>(r: ResourceRef, name: string, p: unknown, k: PatchKind, o?: PatchOpts): Promise<T> { return this.c.patch<T>(r, name, p, k, o); }
  delete(r: ResourceRef, name: string, o?: DeleteOpts): Promise<KObject> { return this.c.delete(r, name, o); }
  bind(ns: string, pod: string, node: string): Promise<void> { return this.c.bind(ns, pod, node); }
  evict(ns: string, pod: string, g?: number): Promise<void> { return this.c.evict(ns, pod, g); }
  list<T extends ApiObject = KObject>(r: ResourceRef, o?: ListOptions): Promise<KList<T>> {
    this.lists++;
    return this.c.list<T>(r, o);
  }
  watch<T extends ApiObject = KObject>(r: ResourceRef, o: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (err?: Error) => void): WatchHandle {
    const entry = { h: undefined as unknown as WatchHandle, close: onClose };
    entry.h = this.c.watch<T>(r, o, onEvent, (e) => { this.open.delete(entry); onClose(e); });
    this.open.add(entry);
    return { stop: () => { this.open.delete(entry); entry.h.stop(); } };
  }
  dropWatches(): void {
    for (const e of [...this.open]) {
      this.open.delete(e);
      e.h.stop();
      e.close();
    }
  }
}

const cm = (name: string, v: string): ConfigMap & KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });

async function until(fn: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('informer', () => {
  it('lists, watches, resumes and re-lists after 410', async () => {
    const client = new DroppableClient(core.client);
    await client.create(R.configmaps, cm('a', '1'));
    const inf = new Informer<ConfigMap & KObject>(client, R.configmaps, { namespace: 'default', backoffMs: 10 });
    const seen: string[] = [];
    inf.addHandler({
      add: (o) => seen.push(`add ${o.metadata!.name!}`),
      update: (_o, n) => seen.push(`update ${n.metadata!.name!}=${n.data!.v}`),
      delete: (o) => seen.push(`delete ${o.metadata!.name!}`),
    });
    const stop = inf.start();
    await inf.hasSynced;
    expect(inf.getByName('default', 'a')?.data?.v).toBe('1');

    await client.create(R.configmaps, cm('b', '1'));
    await client.patch(R.configmaps, 'a', { data: { v: '2' } }, 'merge', { namespace: 'default' });
    await until(() => inf.getByName('default', 'a')?.data?.v === '2' && !!inf.getByName('default', 'b'));

    // The watch ends: the informer resumes from its last resourceVersion without listing again.
    const listsBefore = client.lists;
    client.dropWatches();
    await client.patch(R.configmaps, 'b', { data: { v: '2' } }, 'merge', { namespace: 'default' });
    await until(() => inf.getByName('default', 'b')?.data?.v === '2');
    expect(client.lists).toBe(listsBefore);

    // History compacted while the watch was down: 410 → re-list, and the cache is reconciled.
    client.dropWatches();
    stop();
    const inf2Seen: string[] = [];
    await client.delete(R.configmaps, 'a', { namespace: 'default' });
    await client.create(R.configmaps, cm('c', '1'));
    const inf2 = new Informer<ConfigMap & KObject>(client, R.configmaps, { namespace: 'default', backoffMs: 10 });
    inf2.addHandler({ add: (o) => inf2Seen.push(`add ${o.metadata!.name!}`), delete: (o) => inf2Seen.push(`delete ${o.metadata!.name!}`) });
    const stop2 = inf2.start();
    await inf2.hasSynced;
    client.dropWatches();
    await client.delete(R.configmaps, 'b', { namespace: 'default' });
    await client.create(R.configmaps, cm('d', '1'));
    core.store.compact(core.store.revision);
    const lists = client.lists;
    await until(() => client.lists > lists && !inf2.getByName('default', 'b') && !!inf2.getByName('default', 'd'));
    expect(inf2.list().map((o) => o.metadata!.name!).sort()).toEqual(['c', 'd']);
    expect(inf2Seen).toContain('delete b');
    expect(inf2Seen).toContain('add d');
    stop2();
    expect(seen).toEqual(['add a', 'add b', 'update a=2', 'update b=2']);
  });
});
