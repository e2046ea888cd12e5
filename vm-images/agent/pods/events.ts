// Kubernetes-style events about a pod, as the kubelet records them (the agent turns them into core/v1 Events).
import type { ContainerKind } from './runtime-state';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** e.g. spec.containers{web}; absent for pod-level events. */
  fieldPath?: string;
}

const LISTS: Record<ContainerKind, string> = { init: 'initContainers', app: 'containers', ephemeral: 'ephemeralContainers' };

export function fieldPath(kind: ContainerKind, name: string): string {
  return `spec.${LISTS[kind]}{${name}}`;
}

export function probeName(kind: 'liveness' | 'readiness' | 'startup'): string {
  return `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}`;
}
