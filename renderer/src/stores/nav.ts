// Where the person is: the main view, the detail drawer (a pod, a node, or any object) and the search
// text. The one source of truth for the URL (`composables/useRouteSync.ts` keeps them in step).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Detail, ObjectRef } from '../lib/route';

export const MAIN_VIEWS = ['map', 'workloads', 'events', 'resources', 'ports', 'images', 'architecture', 'history'] as const;
export type MainView = (typeof MAIN_VIEWS)[number];
export type { Detail } from '../lib/route';

export function isMainView(v: string): v is MainView {
  return (MAIN_VIEWS as readonly string[]).includes(v);
}

export const useNavStore = defineStore('nav', () => {
  const view = ref<MainView>('map');
  const detail = ref<Detail>(undefined);
  const addNodeOpen = ref(false);
  /** The search box's text (see `lib/search.ts`). */
  const query = ref('');
  return {
    view,
    detail,
    addNodeOpen,
    query,
    openPod: (namespace: string, name: string) => (detail.value = { type: 'pod', namespace, name }),
    openNode: (name: string) => (detail.value = { type: 'node', name }),
    openObject: (ref: ObjectRef) => (detail.value = { type: 'object', ...ref }),
    closeDetail: () => (detail.value = undefined),
  };
});
