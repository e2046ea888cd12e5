// Where the person is: the main view and the detail drawer (a pod or a node).
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type MainView = 'map' | 'workloads' | 'events' | 'ports';
export type Detail = { type: 'pod'; namespace: string; name: string } | { type: 'node'; name: string } | undefined;

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
    closeDetail: () => (detail.value = undefined),
  };
});
