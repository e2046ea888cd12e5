// Node CPU and memory samples (metrics.k8s.io) with a short history per node, sampled by the
// bridge while at least one view holds a subscription.
import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import type { BridgeEvents, MetricSample } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent, onStatus } from '../bridge/client';

export const HISTORY = 60;

export const useMetricsStore = defineStore('metrics', () => {
  const history = shallowRef(new Map<string, MetricSample[]>());
  const available = ref(false);
  const message = ref<string | undefined>('waiting for the first sample');
  let holders = 0;
  let subscriptionId: string | undefined;
  let disposers: Array<() => void> = [];
  let lost = false;

  function record(p: BridgeEvents['metrics']): void {
    available.value = p.available;
    message.value = p.message;
    const map = history.value;
    for (const s of p.samples) {
      const h = map.get(s.node) ?? [];
      if (h.length > 0 && h[h.length - 1].at === s.at) continue;
      h.push(s);
      if (h.length > HISTORY) h.splice(0, h.length - HISTORY);
      map.set(s.node, h);
    }
    triggerRef(history);
  }

  async function subscribe(): Promise<void> {
    try {
      subscriptionId = (await call('subscribeMetrics', null)).subscriptionId;
      if (holders === 0) void unsubscribe();
    } catch (e) {
      message.value = errorMessage(e);
    }
  }

  async function unsubscribe(): Promise<void> {
    const id = subscriptionId;
    subscriptionId = undefined;
    if (id) await call('unsubscribeMetrics', { subscriptionId: id }).catch(() => undefined);
  }

  /** Holds a subscription until the returned disposer is called. */
  function acquire(): () => void {
    if (holders++ === 0) {
      disposers = [
        onEvent('metrics', record),
        onStatus((s) => {
          // A new connection has no subscription: take one again.
          if (s === 'reconnecting' || s === 'forbidden') lost = true;
          else if (s === 'open' && lost) {
            lost = false;
            void subscribe();
          }
        }),
      ];
      void subscribe();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--holders === 0) {
        for (const d of disposers) d();
        disposers = [];
        void unsubscribe();
      }
    };
  }

  function latest(node: string): MetricSample | undefined {
    const h = history.value.get(node);
    return h ? h[h.length - 1] : undefined;
  }

  return { history, available, message, acquire, latest, record };
});
