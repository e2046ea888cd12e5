// Builds a Pod's status exactly in the shape and vocabulary the kubelet reports.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import type { ContainerKind, RuntimeContainer } from './runtime-state';
import { instances } from './runtime-state';
import { qosClass } from './runtime-config';
import { isSidecar } from './sidecars';

export interface Waiting { reason: string; message?: string }

export interface ContainerView {
  /** Overrides the runtime state when the container is not running (ContainerCreating, CrashLoopBackOff, ErrImagePull…). */
  waiting?: Waiting;
  started: boolean;
  ready: boolean;
}

export interface StatusInput {
  pod: Pod;
  podIP?: string;
  hostIP?: string;
  sandboxReady: boolean;
  startTime: string;
  containers: RuntimeContainer[];
  /**
   * The regular and init containers of the pod's earlier sandbox (stopped when it was made again): a container not
   * restarted in the new one since has its last state, and its restart count until then, from there.
   */
  earlier?: RuntimeContainer[];
  views: Map<string, ContainerView>;
  terminated: boolean;
  previous?: PodStatus;
  /** The kubelet evicted the pod itself (activeDeadlineSeconds passed): phase Failed with this reason and message. */
  evicted?: { reason: string; message: string };
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminatedState(c: RuntimeContainer): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      startedAt: c.startedAt ? isoSeconds(c.startedAt) : undefined,
      finishedAt: c.finishedAt ? isoSeconds(c.finishedAt) : undefined,
      containerID: `containerd://${c.id}`,
    },
  };
}

function containerStatus(
  spec: Container, kind: ContainerKind, all: RuntimeContainer[], view: ContainerView | undefined, idleReason: string, earlier: RuntimeContainer[] = [],
): ContainerStatus {
  const [cur, prevHere] = instances(all, spec.name, kind);
  const before = prevHere ? undefined : instances(earlier, spec.name, kind).find((c) => !cur || c.attempt < cur.attempt);
  const prev = prevHere ?? before;
  let state: ContainerState;
  let lastState: ContainerState = prev ? terminatedState(prev) : {};
  if (cur && cur.state === 'CONTAINER_RUNNING') state = { running: { startedAt: isoSeconds(cur.startedAt) } };
  else if (view?.waiting) {
    state = { waiting: { reason: view.waiting.reason, ...(view.waiting.message ? { message: view.waiting.message } : {}) } };
    if (cur && cur.state === 'CONTAINER_EXITED') lastState = terminatedState(cur);
  } else if (cur && cur.state === 'CONTAINER_EXITED') state = terminatedState(cur);
  else state = { waiting: { reason: idleReason } };
  return {
    name: spec.name,
    state,
    lastState,
    ready: view?.ready ?? false,
    restartCount: cur?.attempt ?? before?.attempt ?? 0,
    image: cur?.image || spec.image || '',
    imageID: cur?.imageRef ?? '',
    ...(cur ? { containerID: `containerd://${cur.id}` } : {}),
    // The kubelet's startup tracking covers regular and init containers only.
    ...(kind === 'ephemeral' ? {} : { started: view?.started ?? false }),
  };
}

/** The kubelet's getPhase: regular init containers gate the pod; sidecars count as running containers once started. */
function phaseOf(pod: Pod, init: ContainerStatus[], app: ContainerStatus[], terminated: boolean): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (terminated) return app.every((s) => (s.state?.terminated?.exitCode ?? s.lastState?.terminated?.exitCode ?? 0) === 0) ? 'Succeeded' : 'Failed';
  const specs = new Map((pod.spec?.initContainers ?? []).map((c) => [c.name, c]));
  let pendingInit = 0, pendingSidecars = 0, failedInit = 0;
  let running = 0, stopped = 0, succeeded = 0, waiting = 0;
  for (const s of init) {
    const sidecar = isSidecar(specs.get(s.name));
    if (s.state?.running) {
      if (!sidecar) pendingInit++;
      else { running++; if (!s.started) pendingSidecars++; }
    } else if (s.state?.terminated) {
      if (!sidecar && s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (!sidecar && s.lastState.terminated.exitCode !== 0) failedInit++;
    } else if (sidecar) {
      pendingSidecars++;
      waiting++;
    } else {
      pendingInit++;
    }
  }
  for (const s of app) {
    if (s.state?.running) {
      running++;
    } else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    }
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const regularStarted = app.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if (pendingInit > 0 || (pendingSidecars > 0 && !regularStarted) || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, prev: PodStatus | undefined, now: string, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = prev?.conditions?.find((c) => c.type === type);
  return {
    type, status,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
    ...(!ok && reason ? { reason } : {}), ...(!ok && message ? { message } : {}),
  };
}

export function buildPodStatus(input: StatusInput, now = Date.now()): PodStatus {
  const { pod } = input;
  const initSpecs = pod.spec?.initContainers ?? [];
  const init = initSpecs.map((c) => containerStatus(c, 'init', input.containers, input.views.get(`init/${c.name}`), 'PodInitializing', input.earlier));
  // GeneratePodInitializedCondition: every regular init container succeeded and every sidecar started,
  // or a regular container has run (the pod was initialized before).
  const notInit = init.filter((s, i) => (isSidecar(initSpecs[i]) ? !s.started : s.state?.terminated?.exitCode !== 0)).map((s) => s.name);
  const regularStarted = input.containers.some((c) => c.kind === 'app' && c.startedAt > 0);
  const initialized = notInit.length === 0 || regularStarted;
  const app = (pod.spec?.containers ?? []).map((c) => containerStatus(c, 'app', input.containers, input.views.get(`app/${c.name}`),
    initialized ? 'ContainerCreating' : 'PodInitializing', input.earlier));
  // Ephemeral containers are reported beside the others and count for neither phase nor readiness.
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => containerStatus(c as Container, 'ephemeral', input.containers, input.views.get(`ephemeral/${c.name}`), 'ContainerCreating'));
  const phase = input.evicted ? 'Failed' : phaseOf(pod, init, app, input.terminated);
  const ts = isoSeconds(now);
  const done = phase === 'Succeeded' || phase === 'Failed';
  // Sidecars' readiness counts toward the pod's, listed before the regular containers.
  const unready = [...init.filter((s, i) => isSidecar(initSpecs[i]) && !s.ready), ...app.filter((s) => !s.ready)].map((s) => s.name);
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = done ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', input.sandboxReady && !input.terminated, input.previous, ts),
    condition('Initialized', initialized, input.previous, ts, 'ContainersNotInitialized', `containers with incomplete status: [${notInit.join(' ')}]`),
    condition('Ready', unready.length === 0 && !done, input.previous, ts, readyReason, readyMsg),
    condition('ContainersReady', unready.length === 0 && !done, input.previous, ts, readyReason, readyMsg),
    condition('PodScheduled', true, input.previous, ts),
  ];
  const status: PodStatus = {
    phase,
    ...(input.evicted ? { reason: input.evicted.reason, message: input.evicted.message } : {}),
    conditions,
    ...(input.hostIP ? { hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }] } : {}),
    ...(input.podIP ? { podIP: input.podIP, podIPs: [{ ip: input.podIP }] } : {}),
    startTime: input.startTime,
    ...(init.length ? { initContainerStatuses: init } : {}),
    containerStatuses: app,
    qosClass: qosClass(pod),
    ...(ephemeral.length ? { ephemeralContainerStatuses: ephemeral } : {}),
  };
  return status;
}
