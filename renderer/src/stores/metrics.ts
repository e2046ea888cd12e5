// Node CPU and memory samples (metrics.k8s.io) with a short history per node, sampled by the
// bridge while at least one view holds a subscription. Histories are immutable: a new sample makes
// a new array (and a new map), so every computed value that reads one sees the change.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { METRICS_INTERVAL_MS } from '../../../main/bridge/contract';
import type { BridgeEvents, MetricSample } from '../../../main/bridge/contract';
import { call, errorMessage, onEvent, onReconnect } from '../bridge/client';

export const HISTORY = 60;
/** The time a full history spans (the charts' time axis). */
export const HISTORY_MS = HISTORY * METRICS_INTERVAL_MS;

export const useMetricsStore = defineStore('metrics', () => {
  const history = shallowRef<ReadonlyMap<string, readonly MetricSample[]>>(new Map());
  const available = ref(false);
  const message = ref<string | undefined>('waiting for the first sample');
  let holders = 0;
  let subscriptionId: string | undefined;
  let disposers: Array<() => void> = [];

  function record(p: BridgeEvents['metrics']): void {
    available.value = p.available;
    message.value = p.message;
    let next: Map<string, readonly MetricSample[]> | undefined;
    for (const s of p.samples) {
      const h = (next ?? history.value).get(s.node) ?? [];
      if (h.length > 0 && h[h.length - 1].at === s.at) continue;
      next ??= new Map(history.value);
      next.set(s.node, [...h.slice(Math.max(0, h.length + 1 - HISTORY)), s]);
    }
    if (next) history.value = next;
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
        // A new connection has no subscription: take one again.
        onReconnect(() => void subscribe()),
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
