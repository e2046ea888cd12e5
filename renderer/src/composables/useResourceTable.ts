// A live server Table of one resource type (kubectl's columns): listed, then listed again whenever
// the bridge's watch pings (throttled there); a closed watch is started again after a pause.
import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { Ref } from 'vue';
import type { Table } from '../../../main/api/table';
import type { ResourceListRequest } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent } from '../bridge/client';

const RETRY_MS = 2000;

export function useResourceTable(request: Ref<ResourceListRequest | undefined>) {
  const table = shallowRef<Table | undefined>();
  const error = ref<string | undefined>();
  const loading = ref(false);
  let watchId: string | undefined;
  let generation = 0;

  const unwatch = () => {
    if (watchId) void call('unwatch', { watchId }).catch(() => undefined);
    watchId = undefined;
  };

  async function list(gen: number, req: ResourceListRequest): Promise<Table | undefined> {
    try {
      const t = await call('listTable', req);
      if (gen !== generation) return undefined;
      table.value = t;
      error.value = undefined;
      return t;
    } catch (e) {
      if (gen === generation) error.value = errorMessage(e);
      return undefined;
    }
  }

  async function start(): Promise<void> {
    const gen = ++generation;
    unwatch();
    const req = request.value;
    if (!req) {
      table.value = undefined;
      return;
    }
    loading.value = true;
    const t = await list(gen, req);
    if (gen === generation) loading.value = false;
    if (!t || gen !== generation) {
      if (gen === generation) setTimeout(() => gen === generation && void start(), RETRY_MS);
      return;
    }
    try {
      const r = await call('watchResource', { ...req, resourceVersion: t.metadata.resourceVersion ?? '0' });
      if (gen !== generation) void call('unwatch', { watchId: r.watchId }).catch(() => undefined);
      else watchId = r.watchId;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  const off = onEvent('resourceChanged', (p) => {
    if (!watchId || p.watchId !== watchId || !request.value) return;
    if (p.closed) {
      watchId = undefined;
      const gen = generation;
      setTimeout(() => gen === generation && void start(), p.closed.error ? RETRY_MS : 0);
      return;
    }
    void list(generation, request.value);
  });

  watch(request, () => void start(), { immediate: true, deep: true });
  onScopeDispose(() => {
    generation++;
    off();
    unwatch();
  });

  return { table, error, loading, reload: start };
}
