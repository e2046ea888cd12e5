// Sidecar (restartable init) containers, Kubernetes ≥ 1.29: an init container with restartPolicy Always
// starts in order with the other init containers, lets the next one start once it has started, keeps
// running beside the app containers and is restarted whenever it exits, until the pod completes.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { instances, type RuntimeContainer } from './runtime-state';

export function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** The pod's sidecars in spec order. */
export function sidecarNames(pod: Pod): string[] {
  return (pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name);
}

/** Whether a regular (app) container that exited with `exitCode` is restarted under the pod's restartPolicy. */
export function appRestarts(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/**
 * The kubelet's "all regular containers are done and none will restart" (computePodActions: KillPod
 * with no init container to start): the pod completes and its sidecars are stopped, not restarted.
 */
export function regularContainersDone(pod: Pod, all: RuntimeContainer[]): boolean {
  const app = pod.spec?.containers ?? [];
  if (app.length === 0) return false;
  return app.every((c) => {
    const [cur] = instances(all, c.name, 'app');
    return cur?.state === 'CONTAINER_EXITED' && !appRestarts(pod, cur.exitCode);
  });
}

/** Whether any regular container has ever run in the pod (it has been initialized; HasAnyRegularContainerStarted). */
export function anyRegularStarted(all: RuntimeContainer[]): boolean {
  return all.some((c) => c.kind === 'app' && c.startedAt > 0);
}
