// A pod as the API serves it, for its YAML: the pods informer holds them lean (main/bridge/lean-pod.ts leaves out the
// volumes, tolerations and defaults no view reads from it). Read while `shown`, and again at each new resourceVersion
// of the informer's copy.
import { ref, shallowRef, watch } from 'vue';
import type { Ref } from 'vue';
import type { KObject } from '../../../main/api/types';
import { call, errorMessage } from '../bridge/client';

export function useWholePod(namespace: Ref<string>, name: Ref<string>, resourceVersion: Ref<string | undefined>, shown: Ref<boolean>) {
  const object = shallowRef<KObject | undefined>();
  const error = ref<string | undefined>();
  let generation = 0;
  watch([shown, namespace, name, resourceVersion], async ([on, ns, n, rv], old) => {
    const gen = ++generation;
    if (old && (old[1] !== ns || old[2] !== n)) object.value = undefined;
    if (!on || !rv) return;
    try {
      const o = await call('get', { kind: 'pods', namespace: ns, name: n });
      if (gen !== generation) return;
      object.value = o;
      error.value = undefined;
    } catch (e) {
      if (gen === generation) error.value = errorMessage(e);
    }
  }, { immediate: true });
  return { object, error };
}
