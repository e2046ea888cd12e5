// Where the person is: the main view and the detail drawer (a pod or a node).
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type MainView = 'map' | 'workloads' | 'events' | 'resources' | 'images';
/** Any object the resource browser shows. */
export interface ObjectDetailRef { type: 'object'; group: string; version: string; resource: string; namespace?: string; name: string }
export type Detail = { type: 'pod'; namespace: string; name: string } | { type: 'node'; name: string } | ObjectDetailRef | undefined;

export const useNavStore = defineStore('nav', () => {
  const view = ref<MainView>('map');
  const detail = ref<Detail>(undefined);
  const addNodeOpen = ref(false);
  return {
    view,
    detail,
    addNodeOpen,
    openPod: (namespace: string, name: string) => (detail.value = { type: 'pod', namespace, name }),
    openNode: (name: string) => (detail.value = { type: 'node', name }),
    openObject: (ref: Omit<ObjectDetailRef, 'type'>) => (detail.value = { type: 'object', ...ref }),
    closeDetail: () => (detail.value = undefined),
  };
});
