// What the status needs to know of each container in the spec beyond the runtime's record: why it
// waits, whether its startup probe has passed (started) and whether it is ready.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ContainerProber } from './prober';
import { instances, type ContainerKind, type RuntimeContainer } from './runtime-state';
import { isSidecar } from './sidecars';
import type { ContainerView, Waiting } from './status';

export interface ViewState {
  probers: ReadonlyMap<string, ContainerProber>;
  waiting: ReadonlyMap<string, Waiting>;
  /** Every container has been stopped for good. */
  terminated: boolean;
  /** Termination was asked for: nothing is ready any more. */
  terminating: boolean;
}

/** One view per container of the spec (init, app, ephemeral), keyed `<kind>/<name>`. */
export function containerViews(pod: Pod, all: RuntimeContainer[], st: ViewState): Map<string, ContainerView> {
  const views = new Map<string, ContainerView>();
  const specs: Array<[ContainerKind, Container]> = [
    ...(pod.spec?.initContainers ?? []).map((c): [ContainerKind, Container] => ['init', c]),
    ...(pod.spec?.containers ?? []).map((c): [ContainerKind, Container] => ['app', c]),
    ...(pod.spec?.ephemeralContainers ?? []).map((c): [ContainerKind, Container] => ['ephemeral', c]),
  ];
  for (const [kind, c] of specs) {
    const key = `${kind}/${c.name}`;
    const [cur] = instances(all, c.name, kind);
    const running = cur?.state === 'CONTAINER_RUNNING' && !st.terminated;
    const prober = cur ? st.probers.get(cur.id) : undefined;
    const started = running && (!c.startupProbe || prober?.result('startup') === 'success');
    // A sidecar is ready like a regular container; a plain init container once it has succeeded.
    const ready = kind === 'init' && !isSidecar(c)
      ? cur?.state === 'CONTAINER_EXITED' && cur.exitCode === 0
      : kind !== 'ephemeral' && started && (!c.readinessProbe || prober?.result('readiness') === 'success') && !st.terminating;
    views.set(key, { waiting: st.terminated ? undefined : st.waiting.get(key), started, ready });
  }
  return views;
}
