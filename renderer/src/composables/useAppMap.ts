// The map's app grouping, shared by the map, its legend and every node's chips: which app a pod belongs to (through
// the ReplicaSet and Job informers, a lookup per pod), its colour, and the app selected (highlighted on every node,
// the rest dimmed). The map provides it; chips outside a map get the default: no grouping, nothing selected.
// The lookups read an index of owners only (ReplicaSet/Job → its controller), replaced only when an owner changes
// (a ReplicaSet's status changes with every pod's readiness, and must not re-render every chip on the map).
import { inject, provide, ref, shallowRef, watchEffect } from 'vue';
import type { InjectionKey, Ref } from 'vue';
import type { Pod } from '../../../main/api/types';
import { appColour, appOf, STANDALONE, type AppRef, type OwnerIndex } from '../lib/app-groups';
import { useReplicaSetsStore } from '../stores/replicasets';
import { useJobsStore } from '../stores/jobs';

export interface AppMap {
  /** The pod's app (remembered per pod object until the grouping changes). */
  appOf(pod: Pod): AppRef;
  /** The app's colour; undefined outside a map (chips then take their state's colour). */
  colour(app: AppRef): string | undefined;
  /** The key of the app selected, if one is. */
  selected: Ref<string | undefined>;
  /** Selects an app, or clears the selection (the same key again, or undefined). */
  toggle(key: string | undefined): void;
  /** Changes whenever appOf's answers may (an owner changed): what caches of its answers are keyed by. */
  generation: Readonly<Ref<number>>;
}

const KEY: InjectionKey<AppMap> = Symbol('app-map');
const selected = ref<string | undefined>();

type Owned = ReturnType<OwnerIndex['replicaSet']>;
/** `rs:<ns>/<name>` or `job:<ns>/<name>` → the object's controller reference, only. */
const owners = shallowRef(new Map<string, Owned>());
/** The same Map, read without tracking (for the comparison in the effect that writes it). */
let untracked = owners.value;
/** Bumped with every new owner index. */
const generation = ref(0);

function ownersOf(prefix: string, items: Map<string, { metadata?: { ownerReferences?: ReadonlyArray<{ kind: string; name: string; controller?: boolean }> } }>,
  into: Map<string, Owned>): void {
  for (const [k, o] of items) {
    const c = o.metadata?.ownerReferences?.find((r) => r.controller);
    into.set(`${prefix}${k}`, c ? { metadata: { ownerReferences: [{ kind: c.kind, name: c.name, controller: true }] } } : {});
  }
}

const ownerText = (o: Owned): string => { const r = o?.metadata?.ownerReferences?.[0]; return r ? `${r.kind}/${r.name}` : ''; };

function sameOwners(a: Map<string, Owned>, b: Map<string, Owned>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, o] of a) if (!b.has(k) || ownerText(b.get(k)) !== ownerText(o)) return false;
  return true;
}

/** Keeps the owner index current while the component that calls it (the map) lives. */
function watchOwners(): void {
  const replicasets = useReplicaSetsStore();
  const jobs = useJobsStore();
  // An effect, not a watch: the stores trigger their items on every change while the Map stays the same object.
  watchEffect(() => {
    const next = new Map<string, Owned>();
    ownersOf('rs:', replicasets.items, next);
    ownersOf('job:', jobs.items, next);
    if (!sameOwners(next, untracked)) {
      owners.value = untracked = next;
      generation.value++;
    }
  });
}

/** Lookups in the owner index (current while a map is shown). */
export const ownerIndex: OwnerIndex = { replicaSet: (k) => owners.value.get(`rs:${k}`), job: (k) => owners.value.get(`job:${k}`) };

const known = new WeakMap<Pod, { generation: number; app: AppRef }>();

/** appOf, once per pod object and owner index (reads `generation`, so callers recompute when the index changes). */
function cachedAppOf(p: Pod): AppRef {
  const g = generation.value;
  const hit = known.get(p);
  if (hit && hit.generation === g) return hit.app;
  const app = appOf(p, ownerIndex);
  known.set(p, { generation: g, app });
  return app;
}

export function provideAppMap(): AppMap {
  watchOwners();
  const map: AppMap = {
    appOf: cachedAppOf,
    colour: appColour,
    selected,
    toggle: (key) => (selected.value = key === undefined || key === selected.value ? undefined : key),
    generation,
  };
  provide(KEY, map);
  return map;
}

const NONE: AppMap = {
  appOf: (p) => ({ key: `${p.metadata?.namespace ?? 'default'}/Standalone/${STANDALONE}`, namespace: p.metadata?.namespace ?? 'default', kind: 'Standalone', name: STANDALONE }),
  colour: () => undefined,
  selected: ref(undefined),
  toggle: () => undefined,
  generation: ref(0),
};

export function useAppMap(): AppMap {
  return inject(KEY, NONE);
}
