// The node's half of the node-local provisioner (flotilla.dev/local-path): the directory of every volume
// provisioned on this node exists (created when the volume appears; its first pod's mount creates it too),
// and when such a volume is deleted and no longer Bound, its directory is removed (reclaim policy Delete;
// Retain keeps the data) before the node lets the volume go by dropping flotilla.dev/local-volume-cleanup.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { normalize } from 'node:path';
import type { PersistentVolume } from 'kubernetes-types/core/v1';
import { ANN_PROVISIONED_BY, LOCAL_PROVISIONER, LOCAL_VOLUME_FINALIZER, LOCAL_VOLUMES_DIR, localVolumeNode } from '../../../main/api/storage';
import type { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import type { ApiClient } from '../../../main/client/types';
import { dropFinalizer } from '../../../main/client/finalizers';
import { agentInformer } from '../sync/informers';

const RETRY_MS = 2000;

export interface LocalVolumesOptions {
  client: ApiClient;
  nodeName: string;
  log(line: string): void;
  backoffMs?: number;
  /** Where the volumes' directories are (default LOCAL_VOLUMES_DIR; tests use their own). */
  dir?: string;
}

/** The directory of a provisioned volume, only if it is one of ours and inside `dir` (nothing else is ever removed). */
function ownDir(pv: PersistentVolume, dir: string): string | undefined {
  const p = pv.spec?.local?.path;
  if (!p || pv.metadata?.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PROVISIONER) return undefined;
  const n = normalize(p);
  return n.startsWith(`${normalize(dir)}/`) && !n.slice(dir.length + 1).includes('/') ? n : undefined;
}

/** Creates a provisioned volume's directory (world-writable, as local-path-provisioner's). */
export function ensureVolumeDir(path: string): void {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o777);
}

export function startLocalVolumes(o: LocalVolumesOptions): () => void {
  const dir = o.dir ?? LOCAL_VOLUMES_DIR;
  const inf: Informer<PersistentVolume> = agentInformer<PersistentVolume>(o.client, R.persistentvolumes, {
    backoffMs: o.backoffMs, onError: (err) => o.log(`local volumes watch: ${err instanceof Error ? err.message : String(err)}`),
  });
  const busy = new Set<string>();
  const timers: NodeJS.Timeout[] = [];
  const sync = (pv: PersistentVolume): void => {
    const name = pv.metadata?.name ?? '';
    const path = ownDir(pv, dir);
    if (!path || localVolumeNode(pv) !== o.nodeName) return;
    if (!pv.metadata?.deletionTimestamp) {
      try { ensureVolumeDir(path); } catch (err) { o.log(`local volume ${name}: ${err instanceof Error ? err.message : String(err)}`); }
      return;
    }
    if (pv.status?.phase === 'Bound' || !(pv.metadata.finalizers ?? []).includes(LOCAL_VOLUME_FINALIZER) || busy.has(name)) return;
    busy.add(name);
    void (async () => {
      if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
        rmSync(path, { recursive: true, force: true });
        o.log(`local volume ${name}: removed ${path}`);
      }
      await dropFinalizer(o.client, R.persistentvolumes, name, LOCAL_VOLUME_FINALIZER);
    })().then(() => busy.delete(name), (err: unknown) => {
      busy.delete(name);
      o.log(`local volume ${name}: ${err instanceof Error ? err.message : String(err)} (retrying)`);
      timers.push(setTimeout(() => { const cur = inf.get(name); if (cur) sync(cur); }, RETRY_MS));
    });
  };
  const off = inf.addHandler({ add: sync, update: (_old, pv) => sync(pv) });
  const stop = inf.start();
  return () => { off(); stop(); for (const t of timers) clearTimeout(t); };
}
