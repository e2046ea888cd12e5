// Kubernetes-style events about a pod, as the kubelet records them (the agent turns them into core/v1 Events).
export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** e.g. spec.containers{web}; absent for pod-level events. */
  fieldPath?: string;
}

export function fieldPath(kind: 'init' | 'app', name: string): string {
  return `spec.${kind === 'init' ? 'initContainers' : 'containers'}{${name}}`;
}

export function probeName(kind: 'liveness' | 'readiness' | 'startup'): string {
  return `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}`;
}
