// The architecture view's live snapshot: a bridge subscription held while the calling component lives
// (taken again after a reconnect), its newest snapshot, and a listener per new snapshot (the dots).
import { onScopeDispose, ref, shallowRef } from 'vue';
import type { ArchitectureSnapshot } from '../../../main/api/architecture';
import type { BridgeEvents } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent, onReconnect } from '../bridge/client';

export const ARCH_INTERVAL_MS = 2000;

export function useArchitecture(onSnapshot: (s: ArchitectureSnapshot) => void) {
  const snapshot = shallowRef<ArchitectureSnapshot>();
  const error = ref<string>();
  let subscriptionId: string | undefined;
  let disposed = false;
  /** An event that arrived before its subscription's id did (the first snapshot is sent at once). */
  let early: BridgeEvents['architecture'] | undefined;

  function apply(p: BridgeEvents['architecture']): void {
    if (p.error) error.value = p.error.message;
    if (p.snapshot) {
      error.value = undefined;
      snapshot.value = p.snapshot;
      onSnapshot(p.snapshot);
    }
  }

  async function subscribe(): Promise<void> {
    try {
      const id = (await call('subscribeArchitecture', { intervalMs: ARCH_INTERVAL_MS })).subscriptionId;
      if (disposed) void call('unsubscribeArchitecture', { subscriptionId: id }).catch(() => undefined);
      else {
        subscriptionId = id;
        if (early?.subscriptionId === id) apply(early);
        early = undefined;
      }
    } catch (e) {
      error.value = errorMessage(e);
    }
  }

  const stops = [
    onEvent('architecture', (p) => {
      if (subscriptionId === undefined) early = p;
      else if (p.subscriptionId === subscriptionId) apply(p);
    }),
    onReconnect(() => void subscribe()),
  ];
  void subscribe();
  onScopeDispose(() => {
    disposed = true;
    for (const s of stops) s();
    const id = subscriptionId;
    subscriptionId = undefined;
    if (id) void call('unsubscribeArchitecture', { subscriptionId: id }).catch(() => undefined);
  });
  return { snapshot, error };
}
