// Node metrics for a component's lifetime: holds the sampling subscription while in scope.
import { computed, onScopeDispose } from 'vue';
import type { ComputedRef, Ref } from 'vue';
import type { MetricSample } from '../../../main/bridge/contract';
import { useMetricsStore } from '../stores/metrics';

export interface NodeMetrics {
  history: ComputedRef<readonly MetricSample[]>;
  latest: ComputedRef<MetricSample | undefined>;
}

export function useMetricsSubscription(): ReturnType<typeof useMetricsStore> {
  const store = useMetricsStore();
  onScopeDispose(store.acquire());
  return store;
}

const NONE: readonly MetricSample[] = [];

/** A node's samples and the newest one, without taking a subscription (a view above holds one). */
export function useNodeHistory(node: Ref<string>): NodeMetrics {
  const store = useMetricsStore();
  const history = computed(() => store.history.get(node.value) ?? NONE);
  const latest = computed(() => history.value[history.value.length - 1]);
  return { history, latest };
}

/** A node's samples, holding the sampling subscription while in scope. */
export function useNodeMetrics(node: Ref<string>): NodeMetrics {
  useMetricsSubscription();
  return useNodeHistory(node);
}
