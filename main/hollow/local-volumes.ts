// The hollow nodes' half of the node-local provisioner (flotilla.dev/local-path): a real node's agent removes
// a deleted, no longer Bound volume's directory and then drops flotilla.dev/local-volume-cleanup; a hollow
// node has no directory, so it only drops the finalizer (otherwise such volumes would wait forever).
import type { PersistentVolume } from '../api/types';
import { ANN_PROVISIONED_BY, LOCAL_PROVISIONER, LOCAL_VOLUME_FINALIZER, localVolumeNode } from '../api/storage';
import { Informer } from '../client/cache/informer';
import { dropFinalizer } from '../client/finalizers';
import { R } from '../client/refs';
import type { ApiClient } from '../client/types';
import type { Limiter } from './limiter';

const RETRY_MS = 2000;

export interface HollowLocalVolumes {
  start(): () => void;
}

/** Lets go of the local volumes of the nodes `isHollow` names once they are deleted and released. */
export function hollowLocalVolumes(client: ApiClient, limiter: Limiter, isHollow: (node: string) => boolean, log: (line: string) => void): HollowLocalVolumes {
  const inf = new Informer<PersistentVolume>(client, R.persistentvolumes, { onError: (e) => log(`hollow local volumes: ${e instanceof Error ? e.message : String(e)}`) });
  const busy = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const retry = (name: string): void => {
    const t = setTimeout(() => { timers.delete(t); const cur = inf.get(name); if (cur) sync(cur); }, RETRY_MS);
    timers.add(t);
  };
  const sync = (pv: PersistentVolume): void => {
    const name = pv.metadata?.name ?? '';
    const node = localVolumeNode(pv);
    if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PROVISIONER || !node || !isHollow(node)) return;
    if (!pv.metadata.deletionTimestamp || pv.status?.phase === 'Bound' || !(pv.metadata.finalizers ?? []).includes(LOCAL_VOLUME_FINALIZER)) return;
    if (busy.has(name)) return;
    busy.add(name);
    void limiter.run(() => dropFinalizer(client, R.persistentvolumes, name, LOCAL_VOLUME_FINALIZER))
      .then(() => busy.delete(name), (e: unknown) => {
        busy.delete(name);
        log(`hollow ${node}: local volume ${name}: ${e instanceof Error ? e.message : String(e)} (retrying)`);
        retry(name);
      });
  };
  return {
    start() {
      const off = inf.addHandler({ add: sync, update: (_o, pv) => sync(pv) });
      const stop = inf.start();
      return () => { off(); stop(); for (const t of timers) clearTimeout(t); timers.clear(); };
    },
  };
}
