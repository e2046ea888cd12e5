// A pod's sandbox as the worker needs it: the ready one (and its IP), or a new one — which restarts every
// container, their restart counts carrying on — unless a finished Never/OnFailure pod lost its sandbox. The sandbox
// before a new one is kept, stopped, for its containers' last state.
import { mkdirSync } from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1';
import type { RunningSandbox, StartDeps } from './container-start';
import type { PodEvent } from './events';
import { LABEL_MANAGED, LABEL_POD_UID } from './labels';
import { podLogDir } from './log-paths';
import { hostNetwork, podKey, sandboxConfig } from './runtime-config';
import { listPodContainers, nsToMs } from './runtime-state';
import { CriError } from '../cri/client';
import { rpcErrorText } from '../cri/rpc-error';
import { podRef, seenDone } from './journey-spans';
import { SpanStatusCode } from '@opentelemetry/api';
import { STEP, startPodSpan } from '../../../main/protocol/tracing/pod-trace';

/** An error as the kubelet prints it: a CRI error as Go's gRPC status (`rpc error: code = Unknown desc = …`). */
function sandboxError(err: unknown): string {
  if (!(err instanceof CriError)) return err instanceof Error ? err.message : String(err);
  return rpcErrorText(err.code, err.details);
}

/** What the worker remembers across passes: sandbox IPs by id, and the next attempt of each `<kind>/<name>`. */
export interface SandboxMemory { sandboxIP: Map<string, string>; nextAttempt: Map<string, number> }

export interface SandboxHooks {
  /** Called once RunPodSandbox has been sent. */
  creating?: () => void;
  /** Called before a new sandbox is made. */
  beforeCreate?: () => void;
  event(type: PodEvent['type'], reason: string, message: string): void;
}

export async function ensureSandbox(deps: StartDeps, pod: Pod, mem: SandboxMemory, hooks: SandboxHooks): Promise<RunningSandbox | undefined> {
  const { cri } = deps;
  const { uid } = podKey(pod);
  const ipOf = async (id: string): Promise<string> => {
    const st = await cri.podSandboxStatus(id);
    const ip = hostNetwork(pod) ? (deps.hostIP ?? '') : (st.network?.ip ?? '');
    mem.sandboxIP.set(id, ip);
    return ip;
  };
  const boxes = await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' } });
  boxes.sort((a, b) => nsToMs(b.created_at) - nsToMs(a.created_at));
  const ready = boxes.find((b) => b.state === 'SANDBOX_READY');
  if (ready) {
    const ip = mem.sandboxIP.get(ready.id) ?? await ipOf(ready.id);
    const earlier = boxes.filter((b) => b.id !== ready.id).map((b) => b.id);
    return { id: ready.id, ip, config: sandboxConfig(pod, ready.metadata?.attempt ?? 0, deps.sandbox), earlier };
  }
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (boxes.length > 0 && policy !== 'Always') {
    const all = await listPodContainers(cri, uid);
    if (all.length > 0) return undefined; // the pod ran and its sandbox is gone: a Never/OnFailure pod is not recreated
  }
  for (const c of await listPodContainers(cri, uid)) {
    const key = `${c.kind}/${c.name}`;
    mem.nextAttempt.set(key, Math.max(mem.nextAttempt.get(key) ?? 0, c.attempt + 1));
  }
  // The kubelet's SyncPod says so when a pod that had a sandbox gets a new one (its containers are made again).
  if (boxes.length > 0) hooks.event('Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
  // The newest earlier sandbox is stopped and kept with its containers, as the kubelet leaves dead ones to its garbage
  // collection: their last state is the status' lastState and their log `kubectl logs --previous` (PodWorker removes it
  // once every container has a previous instance in the new sandbox). Any older one goes now.
  for (const [i, b] of boxes.entries()) {
    await cri.stopPodSandbox(b.id).catch(() => undefined);
    if (i > 0) await cri.removePodSandbox(b.id).catch(() => undefined);
  }
  const attempt = boxes.reduce((m, b) => Math.max(m, (b.metadata?.attempt ?? 0) + 1), 0);
  const config = sandboxConfig(pod, attempt, deps.sandbox);
  hooks.beforeCreate?.();
  seenDone(podKey(pod).uid);
  const span = startPodSpan('kubelet', STEP.sandbox, podRef(pod), { 'flotilla.sandbox.attempt': attempt, 'flotilla.host_network': hostNetwork(pod) });
  mkdirSync(podLogDir(deps.sandbox.logDir, podKey(pod)), { recursive: true });
  let id: string;
  try {
    const handler = (await deps.runtimeHandler?.(pod)) ?? '';
    const made = cri.runPodSandbox(config, handler);
    hooks.creating?.();
    id = await made;
  } catch (err) {
    hooks.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${sandboxError(err)}`);
    span.setStatus({ code: SpanStatusCode.ERROR, message: sandboxError(err) }).end();
    throw err;
  }
  const ip = await ipOf(id);
  span.setAttribute('k8s.pod.ip', ip);
  span.end();
  return { id, ip, config, earlier: boxes.slice(0, 1).map((b) => b.id) };
}
