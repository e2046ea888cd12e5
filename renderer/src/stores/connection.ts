// The bridge connection as the header shows it (always 'open' in the desktop app).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConnectionStatus } from '../bridge/transport';
import { connectionStatus, onStatus } from '../bridge/client';

export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>('connecting');
  let off: (() => void) | undefined;
  function start(): () => void {
    status.value = connectionStatus();
    off ??= onStatus((s) => (status.value = s));
    return () => {
      off?.();
      off = undefined;
    };
  }
  return { status, start };
});
