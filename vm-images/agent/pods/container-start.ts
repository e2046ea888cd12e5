// Starting one container of a pod as the kubelet does: the image (pulled, with ImagePullBackOff), the
// container's config (env, volume mounts, log dir), create, start; each step's events and waiting reason.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import type { AuthConfig, PodSandboxConfig } from '../cri/types';
import type { MirrorRewriter } from './mirror-rewrite';
import type { PullSecretLookup } from './keyring';
import type { Backoff } from './backoff';
import { ContainerConfigError, containerEnv, type RefLookup } from './env';
import { fieldPath, type PodEvent } from './events';
import { ensureContainerImage } from './container-image';
import { answerLost, lostCreateKey } from './lost-start';
import { runAsNonRootError } from './security-context';
import { podLogDir } from './log-paths';
import { containerConfig, podKey, type SandboxOptions } from './runtime-config';
import type { ContainerKind } from './runtime-state';
import type { Waiting } from './status';
import { containerMounts, type VolumePath } from '../volumes/container-mounts';
import { etcHostsMount } from '../dns/etc-hosts';
import { POST_START_LIMIT_SECONDS, runHook, runPreStop } from './lifecycle-hooks';
import { terminationMessageSetup } from './termination-message';
import { tracedStep } from './journey-spans';
import { STEP } from '../../../main/protocol/tracing/pod-trace';

/** What a pod's worker needs from the node to start containers. */
export interface StartDeps {
  cri: CriClient;
  sandbox: SandboxOptions;
  hostIP?: string;
  lookup?: RefLookup;
  /** The CRI runtime handler of a pod's RuntimeClass ('' without one); the default runtime when not given. */
  runtimeHandler?: (pod: Pod) => Promise<string>;
  /** The cluster's Services, for the containers' service variables (undefined until first listed). */
  services?: () => readonly Service[] | undefined;
  backoff: Backoff;
  syncIntervalMs: number;
  /** Reads a pod's imagePullSecrets (through the API client). */
  pullSecrets?: PullSecretLookup;
  /** The node's own credentials for an image's registry (registries.yaml), tried after the pull secrets. */
  registryAuth?: (image: string) => AuthConfig[];
  /** registries.yaml's mirror rewrites (pulled from the mirrors under the rewritten name, kept under the pod's). */
  mirrorRewrite?: MirrorRewriter;
  /** Resolves once the node's image tarball that may bring the image is in (see PodManagerOptions). */
  imagesImported?: (image: string) => Promise<void>;
}

/** The pod's ready sandbox: its id, IP and the config it was made with. */
export interface RunningSandbox {
  id: string;
  ip: string;
  config: PodSandboxConfig;
  /** The pod's earlier sandboxes, stopped, kept for their containers' last state (see pod-sandbox.ts). */
  earlier?: string[];
}

export interface PullFailure { at: number; message: string; reportedAt?: number }

/** The worker's state a start reads and updates: the pod, why containers wait, failed pulls, and its events. */
export interface StartState {
  pod: Pod;
  uid: string;
  waiting: Map<string, Waiting>;
  /** The last failed pull of each image (`pull/<image>`): when, its message, and when its BackOff was last reported. */
  pullFailures: Map<string, PullFailure>;
  /** The pod's volumes as set up on the node. */
  volumes: Map<string, VolumePath>;
  event(type: PodEvent['type'], reason: string, message: string, path?: string): void;
  /** Publishes the status again mid-pass (a pull's progress in the waiting message). */
  refresh?: () => void;
  /** A container was started (the journey's readiness step starts here). */
  started?: () => void;
  /** Containers whose StartContainer got no answer (the runtime died during it): see lost-start.ts. */
  lostStarts?: Set<string>;
}

/** Starts `c` in the sandbox; returns how soon the worker should look again (ms). */
export async function startContainer(
  deps: StartDeps, st: StartState, c: Container, kind: ContainerKind, attempt: number, sandbox: RunningSandbox, targetId?: string,
): Promise<number> {
  const key = `${kind}/${c.name}`;
  const { cri } = deps;
  const path = fieldPath(kind, c.name);
  const ensured = await tracedStep(STEP.image, st.pod, { 'k8s.container.name': c.name, 'container.image.name': c.image ?? '' },
    () => ensureContainerImage(deps, st, c, kind, sandbox), (r) => (typeof r === 'number' ? { 'flotilla.waiting': true } : { 'flotilla.pulled': r.pulled }));
  if (typeof ensured === 'number') return ensured;
  let id: string;
  try {
    const nonRoot = runAsNonRootError(st.pod, c, ensured);
    if (nonRoot) throw new ContainerConfigError(nonRoot);
    const env = await containerEnv(c, { pod: st.pod, podIP: sandbox.ip, hostIP: deps.hostIP ?? '', lookup: deps.lookup, services: deps.services });
    mkdirSync(join(podLogDir(deps.sandbox.logDir, podKey(st.pod)), c.name), { recursive: true });
    const term = terminationMessageSetup(join(deps.sandbox.podsDir ?? join(dirname(deps.sandbox.logDir), 'pods'), podKey(st.pod).uid), c, attempt);
    const mounts = [...containerMounts(c, st.volumes, env), ...etcHostsMount(st.pod, c, sandbox.ip, deps.sandbox), ...(term ? [term.mount] : [])];
    const extra = { targetId, mounts, annotations: term?.annotations };
    const config = containerConfig(st.pod, c, kind, attempt, ensured.image, env, deps.sandbox.nodeCpuLimit, extra);
    id = await tracedStep(STEP.createContainer, st.pod, { 'k8s.container.name': c.name }, () => cri.createContainer(sandbox.id, config, sandbox.config));
  } catch (err) {
    // A create whose answer was lost may have made the container: found CREATED later, it is made again (lost-start.ts).
    if (answerLost(err)) st.lostStarts?.add(lostCreateKey(kind, c.name, attempt));
    const reason = err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
    const message = err instanceof Error ? err.message.replace(/^CRI CreateContainer: /, '') : String(err);
    st.waiting.set(key, { reason, message });
    st.event('Warning', 'Failed', `Error: ${message}`, path);
    return deps.syncIntervalMs;
  }
  st.lostStarts?.delete(lostCreateKey(kind, c.name, attempt));
  st.event('Normal', 'Created', `Created container ${c.name}`, path);
  try {
    await tracedStep(STEP.startContainer, st.pod, { 'k8s.container.name': c.name }, () => cri.startContainer(id));
    st.started?.();
    st.event('Normal', 'Started', `Started container ${c.name}`, path);
  } catch (err) {
    // The runtime records the failed start (exited, reason StartError); the restart policy takes it from here —
    // unless the answer was lost with the runtime: then the container is made again if it never ran (lost-start.ts).
    if (answerLost(err)) st.lostStarts?.add(id);
    st.event('Warning', 'Failed', `Error: ${err instanceof Error ? err.message.replace(/^CRI StartContainer: /, '') : String(err)}`, path);
    st.waiting.delete(key);
    return 0;
  }
  if (c.lifecycle?.postStart) await postStart(deps, st, c, kind, id, sandbox.ip);
  else st.waiting.delete(key);
  return 0;
}

/**
 * The postStart hook, right after the start (the worker waits: the container is not reported Running
 * before it is done). A failure kills the container (its preStop first, as any kill), with the kubelet's
 * events; it waits in PostStartHookError until the restart policy takes it from there.
 */
async function postStart(deps: StartDeps, st: StartState, c: Container, kind: ContainerKind, id: string, podIP: string): Promise<void> {
  const key = `${kind}/${c.name}`;
  const path = fieldPath(kind, c.name);
  const target = { cri: deps.cri, containerId: id, podIP, container: c, pod: st.pod };
  try {
    await runHook(c.lifecycle?.postStart ?? {}, target, POST_START_LIMIT_SECONDS);
    st.waiting.delete(key);
  } catch (err) {
    // As the kubelet: the handler's output stays out of the event (it may hold secrets), the status has it.
    st.event('Warning', 'FailedPostStartHook', 'PostStartHook failed', path);
    st.waiting.set(key, { reason: 'PostStartHookError', message: err instanceof Error ? err.message : String(err) });
    st.event('Normal', 'Killing', 'FailedPostStartHook', path);
    const grace = st.pod.spec?.terminationGracePeriodSeconds ?? 30;
    const deadline = Date.now() + grace * 1000;
    await runPreStop(target, grace, () => st.event('Warning', 'FailedPreStopHook', 'PreStopHook failed', path));
    await deps.cri.stopContainer(id, Math.max(0, Math.ceil((deadline - Date.now()) / 1000))).catch(() => undefined);
  }
}
