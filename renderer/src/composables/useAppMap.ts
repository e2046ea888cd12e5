// The map's app grouping, shared by the map, its legend and every node's chips: which app a pod belongs to (through
// the ReplicaSet and Job informers, a lookup per pod), its colour, and the app selected (highlighted on every node,
// the rest dimmed). The map provides it; chips outside a map get the default: no grouping, nothing selected.
import { inject, provide, ref } from 'vue';
import type { InjectionKey, Ref } from 'vue';
import type { Pod } from '../../../main/api/types';
import { appColour, appOf, STANDALONE, type AppRef, type OwnerIndex } from '../lib/app-groups';
import { useReplicaSetsStore } from '../stores/replicasets';
import { useJobsStore } from '../stores/jobs';

export interface AppMap {
  appOf(pod: Pod): AppRef;
  /** The app's colour; undefined outside a map (chips then take their state's colour). */
  colour(app: AppRef): string | undefined;
  /** The key of the app selected, if one is. */
  selected: Ref<string | undefined>;
  /** Selects an app, or clears the selection (the same key again, or undefined). */
  toggle(key: string | undefined): void;
}

const KEY: InjectionKey<AppMap> = Symbol('app-map');
const selected = ref<string | undefined>();

/** The index over the UI's ReplicaSet and Job informers. */
export function useOwnerIndex(): OwnerIndex {
  const replicasets = useReplicaSetsStore();
  const jobs = useJobsStore();
  return { replicaSet: (k) => replicasets.items.get(k), job: (k) => jobs.items.get(k) };
}

export function provideAppMap(): AppMap {
  const index = useOwnerIndex();
  const map: AppMap = {
    appOf: (p) => appOf(p, index),
    colour: appColour,
    selected,
    toggle: (key) => (selected.value = key === undefined || key === selected.value ? undefined : key),
  };
  provide(KEY, map);
  return map;
}

const NONE: AppMap = {
  appOf: (p) => ({ key: `${p.metadata?.namespace ?? 'default'}/Standalone/${STANDALONE}`, namespace: p.metadata?.namespace ?? 'default', kind: 'Standalone', name: STANDALONE }),
  colour: () => undefined,
  selected: ref(undefined),
  toggle: () => undefined,
};

export function useAppMap(): AppMap {
  return inject(KEY, NONE);
}
