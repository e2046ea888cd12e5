// One object of any kind, kept current: read, then read again whenever its resource changes in its
// namespace (the bridge's throttled watch). `revision` counts the reads, for views that derive more
// from it (history, owned objects, events).
import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { Ref } from 'vue';
import type { KObject } from '../../../main/api/types';
import type { AnyObjectRef } from '../../../main/bridge/contract';
import { BridgeCallError, call, errorMessage, onEvent } from '../bridge/client';

export function useLiveObject(target: Ref<AnyObjectRef>) {
  const object = shallowRef<KObject | undefined>();
  const error = ref<string | undefined>();
  const gone = ref(false);
  const revision = ref(0);
  let watchId: string | undefined;
  let generation = 0;

  async function read(gen: number): Promise<string | undefined> {
    try {
      const o = await call('getObject', target.value);
      if (gen !== generation) return undefined;
      object.value = o;
      gone.value = false;
      error.value = undefined;
      revision.value++;
      return o.metadata?.resourceVersion;
    } catch (e) {
      if (gen !== generation) return undefined;
      if (e instanceof BridgeCallError && e.code === 404) {
        gone.value = true;
        object.value = undefined;
      } else error.value = errorMessage(e);
      return undefined;
    }
  }

  async function start(): Promise<void> {
    const gen = ++generation;
    if (watchId) void call('unwatch', { watchId }).catch(() => undefined);
    watchId = undefined;
    const rv = await read(gen);
    if (gen !== generation) return;
    const { group, version, resource, namespace } = target.value;
    try {
      const r = await call('watchResource', { group, version, resource, namespace, resourceVersion: rv ?? '0' });
      if (gen !== generation) void call('unwatch', { watchId: r.watchId }).catch(() => undefined);
      else watchId = r.watchId;
    } catch {
      // No watch: the object is shown as read.
    }
  }

  const off = onEvent('resourceChanged', (p) => {
    if (!watchId || p.watchId !== watchId) return;
    if (p.closed) {
      watchId = undefined;
      setTimeout(() => void start(), 1000);
      return;
    }
    void read(generation);
  });
  watch(target, () => void start(), { immediate: true, deep: true });
  onScopeDispose(() => {
    generation++;
    off();
    if (watchId) void call('unwatch', { watchId }).catch(() => undefined);
  });

  return { object, error, gone, revision, reload: () => read(generation) };
}
