// A clock for ages ("3m"): ticks while the component lives.
import { onScopeDispose, ref } from 'vue';
import type { Ref } from 'vue';

export function useNow(intervalMs = 5000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
