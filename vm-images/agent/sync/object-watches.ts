// The ConfigMaps and Secrets that pods' volumes use, watched one by one as the kubelet's watch-based
// manager does (a list+watch per object with the field selector metadata.name=<name>, kept while a pod
// uses it, and for a while after: the next pod using the same object finds it synced). Reads come from the
// watch's cache once it has synced, before that from a GET. A change calls `onChange` with the pods that
// use the object, so their volumes are rewritten at once.
import type { ConfigMap, Secret } from '../../../main/api/types';
import type { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import { agentInformer } from './informers';

export type WatchedKind = 'ConfigMap' | 'Secret';
export interface ObjectRef { kind: WatchedKind; namespace: string; name: string }
type Watched = ConfigMap | Secret;

/** What the volume plugins read: the object, or undefined when it does not exist. */
export interface ObjectSource {
  get(ref: ObjectRef): Promise<Watched | undefined>;
}

interface Watch { informer: Informer<Watched>; stop: () => void; users: Set<string>; idle?: ReturnType<typeof setTimeout> }

/** How long a watch no pod uses is kept (default). */
export const IDLE_WATCH_MS = 5 * 60_000;

const keyOf = (r: ObjectRef): string => `${r.kind}/${r.namespace}/${r.name}`;

export class ObjectWatches implements ObjectSource {
  private readonly watches = new Map<string, Watch>();
  private readonly byPod = new Map<string, Set<string>>();

  constructor(private readonly client: ApiClient, private readonly o: {
    backoffMs?: number; onError: (err: unknown) => void; onChange: (podUids: string[]) => void; idleMs?: number;
  }) {}

  /** The objects pod `uid` uses now: watches start for new ones; ones no pod uses any more stop after idleMs. */
  use(uid: string, refs: ObjectRef[]): void {
    const wanted = new Set(refs.map(keyOf));
    const had = this.byPod.get(uid) ?? new Set<string>();
    for (const [ref, key] of refs.map((r) => [r, keyOf(r)] as const)) {
      if (had.has(key)) continue;
      const w = this.watches.get(key) ?? this.start(ref, key);
      clearTimeout(w.idle);
      w.idle = undefined;
      w.users.add(uid);
    }
    for (const key of had) if (!wanted.has(key)) this.drop(uid, key);
    if (wanted.size) this.byPod.set(uid, wanted);
    else this.byPod.delete(uid);
  }

  release(uid: string): void {
    this.use(uid, []);
  }

  async get(ref: ObjectRef): Promise<Watched | undefined> {
    const w = this.watches.get(keyOf(ref));
    if (w?.informer.isSynced) return w.informer.getByName(ref.namespace, ref.name);
    try {
      return await this.client.get<Watched>(ref.kind === 'ConfigMap' ? R.configmaps : R.secrets, ref.name, ref.namespace);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  stop(): void {
    for (const w of this.watches.values()) { clearTimeout(w.idle); w.stop(); }
    this.watches.clear();
    this.byPod.clear();
  }

  private start(ref: ObjectRef, key: string): Watch {
    const informer = agentInformer<Watched>(this.client, ref.kind === 'ConfigMap' ? R.configmaps : R.secrets, {
      namespace: ref.namespace, fieldSelector: `metadata.name=${ref.name}`, backoffMs: this.o.backoffMs, onError: this.o.onError,
    });
    const watch: Watch = { informer, stop: () => undefined, users: new Set() };
    const changed = (): void => { if (informer.isSynced) this.o.onChange([...watch.users]); };
    informer.addHandler({ add: changed, update: changed, delete: changed });
    watch.stop = informer.start();
    this.watches.set(key, watch);
    return watch;
  }

  private drop(uid: string, key: string): void {
    const w = this.watches.get(key);
    if (!w) return;
    w.users.delete(uid);
    if (w.users.size || w.idle) return;
    w.idle = setTimeout(() => {
      if (w.users.size) return;
      w.stop();
      this.watches.delete(key);
    }, this.o.idleMs ?? IDLE_WATCH_MS);
    w.idle.unref?.();
  }
}
