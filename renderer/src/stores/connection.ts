// The bridge connection as the UI shows it (always 'open' in the desktop app): while it is down the
// shell shows a banner, greys what may be stale, and every action is off.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConnectionStatus } from '../bridge/transport';
import { connectionStatus, onStatus } from '../bridge/client';

export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>(connectionStatus());
  /** Since when there is no connection (ms since the epoch), while there is none. */
  const lostAt = ref<number | undefined>(status.value === 'open' ? undefined : Date.now());
  const online = computed(() => status.value === 'open');
  const set = (s: ConnectionStatus) => {
    if (s === 'open') lostAt.value = undefined;
    else lostAt.value ??= Date.now();
    status.value = s;
  };
  let off: (() => void) | undefined;
  function start(): () => void {
    set(connectionStatus());
    off ??= onStatus(set);
    return () => {
      off?.();
      off = undefined;
    };
  }
  return { status, online, lostAt, start };
});
