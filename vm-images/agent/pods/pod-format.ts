// How the kubelet names a pod in messages (format.Pod): name_namespace(uid).
import type { Pod } from 'kubernetes-types/core/v1';

export function formatPod(pod: Pod): string {
  const meta = pod.metadata ?? {};
  return `${meta.name ?? ''}_${meta.namespace ?? 'default'}(${meta.uid ?? ''})`;
}
