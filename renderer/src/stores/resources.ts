// The resource browser's types and counts: discovery (again whenever CustomResourceDefinitions
// change, so custom resources come and go), object counts per type, and the selected type and namespace.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ApiResourceType } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent } from '../bridge/client';
import { groupTypes, typeKey } from '../lib/resource-groups';

const COUNT_EVERY_MS = 10_000;
const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

export const useResourcesStore = defineStore('resources', () => {
  const types = shallowRef<ApiResourceType[]>([]);
  const counts = shallowRef<Record<string, number>>({});
  const error = ref<string | undefined>();
  const selected = ref('apps/deployments');
  /** '' = all namespaces. */
  const namespace = ref('');
  const sections = computed(() => groupTypes(types.value));
  const current = computed(() => types.value.find((t) => typeKey(t) === selected.value));

  async function discover(): Promise<void> {
    try {
      types.value = await call('discover', null);
      error.value = undefined;
    } catch (e) {
      error.value = errorMessage(e);
    }
  }
  async function count(): Promise<void> {
    try {
      counts.value = await call('countResources', { namespace: namespace.value || undefined });
    } catch {
      // Counts are a hint; the list says what went wrong.
    }
  }
  /** The type of an apiVersion and kind (an ownerReference's), when the server serves it. */
  function typeOfKind(apiVersion: string, kind: string): ApiResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return types.value.find((t) => t.group === group && t.kind === kind && t.version === version)
      ?? types.value.find((t) => t.group === group && t.kind === kind);
  }

  let running = 0;
  let stopWatch: (() => void) | undefined;
  /** Starts discovery, counts and the CRD watch while a browser view is shown; returns the disposer. */
  function start(): () => void {
    if (running++ === 0) {
      void discover().then(count);
      const timer = setInterval(() => void count(), COUNT_EVERY_MS);
      let watchId: string | undefined;
      let stopped = false;
      const off = onEvent('resourceChanged', (p) => {
        if (p.watchId !== watchId) return;
        if (p.closed) watchId = undefined;
        void discover().then(count);
        if (p.closed && !stopped) void watchCrds();
      });
      const watchCrds = async () => {
        try {
          const t = await call('listTable', CRDS);
          if (stopped) return;
          watchId = (await call('watchResource', { ...CRDS, resourceVersion: t.metadata.resourceVersion ?? '0' })).watchId;
          if (stopped) void call('unwatch', { watchId });
        } catch {
          // Not allowed to watch CRDs (another cluster, RBAC): discovery stays as first read.
        }
      };
      void watchCrds();
      stopWatch = () => {
        stopped = true;
        clearInterval(timer);
        off();
        if (watchId) void call('unwatch', { watchId }).catch(() => undefined);
      };
    }
    return () => {
      if (--running === 0) stopWatch?.();
    };
  }

  function setNamespace(ns: string): void {
    namespace.value = ns;
    void count();
  }

  return { types, counts, error, selected, namespace, sections, current, discover, count, typeOfKind, start, setNamespace };
});
