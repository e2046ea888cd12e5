// Node metrics for a component's lifetime: holds the sampling subscription while in scope.
import { computed, onScopeDispose } from 'vue';
import type { ComputedRef, Ref } from 'vue';
import type { MetricSample } from '../../../main/bridge/contract';
import { useMetricsStore } from '../stores/metrics';

export function useMetricsSubscription(): ReturnType<typeof useMetricsStore> {
  const store = useMetricsStore();
  onScopeDispose(store.acquire());
  return store;
}

export function useNodeMetrics(node: Ref<string>): { history: ComputedRef<MetricSample[]>; latest: ComputedRef<MetricSample | undefined> } {
  const store = useMetricsSubscription();
  const history = computed(() => store.history.get(node.value) ?? []);
  const latest = computed(() => history.value[history.value.length - 1]);
  return { history, latest };
}
