// Container lifecycle hooks as the kubelet's handler runner runs them: exec in the container (CRI
// ExecSync), an HTTP GET to the pod (or the handler's host), or a sleep. postStart runs right after the
// container starts and holds it out of Running until done; preStop runs before SIGTERM, within the grace period.
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/client';
import { httpCheck } from './probe-check';
import { formatPod } from './pod-format';

export interface HookTarget { cri: CriClient; containerId: string; podIP: string; container: Container; pod: Pod }

/**
 * The longest a postStart hook may run here. The kubelet sets none (its pod worker waits); this agent bounds
 * the wait so a hook that never returns cannot hold the pod's worker for ever.
 */
export const POST_START_LIMIT_SECONDS = 600;

export class HookError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one hook within `timeoutSeconds`; rejects with a HookError worded as the kubelet's on failure. */
export async function runHook(handler: LifecycleHandler, target: HookTarget, timeoutSeconds: number): Promise<void> {
  const { container, pod } = target;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    let res;
    try {
      res = await target.cri.execSync(target.containerId, command, Math.max(1, timeoutSeconds));
    } catch (err) {
      throw new HookError(`Exec lifecycle hook (${JSON.stringify(command)}) for Container "${container.name}" in Pod "${formatPod(pod)}" failed - error: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.exit_code !== 0) {
      const output = `${Buffer.from(res.stdout).toString()}${Buffer.from(res.stderr).toString()}`;
      throw new HookError(`Exec lifecycle hook (${JSON.stringify(command)}) for Container "${container.name}" in Pod "${formatPod(pod)}" failed - error: command '${command.join(' ')}' exited with ${res.exit_code}: ${output}, message: ${JSON.stringify(output)}`);
    }
    return;
  }
  if (handler.httpGet) {
    const out = await httpCheck(handler.httpGet, target, Math.max(1, timeoutSeconds) * 1000, 'kube-lifecycle/1.32');
    if (!out.ok) throw new HookError(`HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) for Container "${container.name}" in Pod "${formatPod(pod)}" failed - error: ${out.message}`);
    return;
  }
  if (handler.sleep) {
    await sleep(Math.min(handler.sleep.seconds, timeoutSeconds) * 1000);
    return;
  }
  throw new HookError(`Cannot run handler: invalid handler: ${JSON.stringify(handler)}`);
}

/**
 * A running container's preStop hook before it is stopped (the kubelet's executePreStopHook): run only with
 * time left, waited for at most `graceSeconds`; a failure is the FailedPreStopHook event (without the
 * handler's output, which may hold secrets) and the container is stopped anyway.
 */
export async function runPreStop(target: HookTarget, graceSeconds: number, failed: (err: unknown) => void): Promise<void> {
  const hook = target.container.lifecycle?.preStop;
  if (!hook || graceSeconds <= 0) return;
  await runHook(hook, target, graceSeconds).catch(failed);
}
