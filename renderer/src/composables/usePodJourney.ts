// A pod's journey (the bridge's podJourney), read again every few seconds while shown: the journey grows
// as the pod starts, becomes ready, and is deleted.
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { PodJourney } from '../../../main/api/journey';
import { call, errorMessage } from '../bridge/client';

const REFRESH_MS = 2000;

export function usePodJourney(uid: Ref<string | undefined>) {
  const journey = shallowRef<PodJourney | undefined>();
  const error = ref<string | undefined>();
  const loading = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function read(gen: number): Promise<void> {
    const id = uid.value;
    if (!id) return;
    loading.value = true;
    try {
      const j = await call('podJourney', { uid: id });
      if (gen !== generation) return;
      journey.value = j;
      error.value = undefined;
    } catch (e) {
      if (gen === generation) error.value = errorMessage(e);
    } finally {
      if (gen === generation) {
        loading.value = false;
        timer = setTimeout(() => void read(gen), REFRESH_MS);
      }
    }
  }

  watch(uid, () => {
    clearTimeout(timer);
    journey.value = undefined;
    void read(++generation);
  }, { immediate: true });
  onScopeDispose(() => {
    generation++;
    clearTimeout(timer);
  });
  return { journey, error, loading };
}
