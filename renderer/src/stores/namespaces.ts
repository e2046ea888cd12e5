// The namespace filter (all, one or several), remembered in localStorage and in the URL, and the
// cluster's namespaces from an informer. Views filter with `shows(namespace)`.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { KObject, Namespace } from '../../../main/api/types';
import { createInformerStore } from './informer';
import { isStringArray, readRemembered, remember } from '../lib/remembered';

export type NamespaceObj = Namespace & KObject;
export const useNamespaceListStore = createInformerStore<NamespaceObj>('namespaces');

const KEY = 'flotilla.namespaces';

export const useNamespacesStore = defineStore('namespaces', () => {
  const list = useNamespaceListStore();
  /** The namespaces shown; empty: all of them. */
  const selected = ref<string[]>(readRemembered(KEY, [], isStringArray));
  watch(selected, (v) => remember(KEY, v), { deep: true });
  const names = computed(() => {
    const all = new Set([...list.items.values()].map((n) => n.metadata?.name ?? ''));
    for (const n of selected.value) all.add(n);
    all.delete('');
    return [...all].sort();
  });
  const chosen = computed(() => new Set(selected.value));
  const all = computed(() => selected.value.length === 0);
  return {
    selected,
    names,
    all,
    /** Whether objects of this namespace are shown (cluster-scoped ones, namespace undefined, always). */
    shows: (namespace: string | undefined) => namespace === undefined || chosen.value.size === 0 || chosen.value.has(namespace),
    set: (ns: string[]) => (selected.value = [...new Set(ns)].sort()),
    toggle: (ns: string) => (selected.value = chosen.value.has(ns) ? selected.value.filter((n) => n !== ns) : [...selected.value, ns].sort()),
    start: list.start,
  };
});
