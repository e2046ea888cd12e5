// The cluster this window shows: this Flotilla, or a kubeconfig context chosen in the picker.
// Switching reloads the window on the new cluster (every store starts over, the URL keeps the
// view); so does a reconnect while another cluster is shown, since a new server session starts
// on this Flotilla.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ClusterContextInfo, ClusterInfo } from '../../../main/bridge/contract';
import { call, errorMessage, onStatus } from '../bridge/client';
import { readClusterChoice, writeClusterChoice } from '../lib/cluster-choice';

const THIS: ClusterInfo = { id: '', name: 'This Flotilla', server: '', flotilla: true };

export const useClusterStore = defineStore('cluster', () => {
  const active = ref<ClusterInfo>(THIS);
  const contexts = ref<ClusterContextInfo[]>([]);
  const files = ref<Array<{ path: string; added: boolean; error?: string }>>([]);
  /** Why the chosen cluster could not be shown at start (this Flotilla is shown instead). */
  const startError = ref<string | undefined>();
  const flotilla = computed(() => active.value.flotilla);

  /** Before the app mounts: back on the cluster this tab showed (no call at all for this Flotilla). */
  async function init(): Promise<void> {
    const id = readClusterChoice(sessionStorage, localStorage);
    if (id === '') return;
    try {
      active.value = await call('useCluster', { id });
    } catch (e) {
      writeClusterChoice(sessionStorage, localStorage, '');
      startError.value = errorMessage(e);
    }
  }

  async function refresh(): Promise<void> {
    const r = await call('clusters', null);
    active.value = r.active;
    contexts.value = r.contexts;
    files.value = r.files;
  }

  /** Switches, then reloads on it; throws (and stays) when the server cannot use the context. */
  async function use(id: string): Promise<void> {
    await call('useCluster', { id });
    writeClusterChoice(sessionStorage, localStorage, id);
    location.reload();
  }

  async function addFile(req: { path?: string; fileName?: string; content?: string }): Promise<ClusterContextInfo[]> {
    const r = await call('addKubeconfig', req);
    await refresh();
    return r.contexts;
  }

  async function removeFile(path: string): Promise<void> {
    await call('removeKubeconfig', { path });
    await refresh();
  }

  let off: (() => void) | undefined;
  function start(): () => void {
    let lost = false;
    off ??= onStatus((s) => {
      if (s === 'reconnecting') lost = true;
      else if (s === 'open' && lost && !active.value.flotilla) location.reload();
    });
    return () => {
      off?.();
      off = undefined;
    };
  }

  return { active, contexts, files, flotilla, startError, init, refresh, use, addFile, removeFile, start };
});
