// Stops everything the runtime runs for a pod, in the kubelet's termination order: every container's
// preStop hook at once, SIGTERM to regular (and ephemeral) containers, then the sidecars in reverse spec
// order, each once those after it have stopped, all within one grace period (SIGKILL when it ends);
// then the sandboxes.
import type { CriClient } from '../cri/client';
import { fieldPath, type PodEvent } from './events';
import { LABEL_MANAGED, LABEL_POD_UID } from './labels';
import { listPodContainers, type RuntimeContainer } from './runtime-state';

export interface StopPlan {
  /** The pod's sidecar (restartable init container) names in spec order; they stop last, in reverse. */
  sidecars?: string[];
  /** Runs a container's preStop hook (if it has one), bounded by the seconds given. */
  preStop?: (c: RuntimeContainer, graceSeconds: number) => Promise<void>;
}

export interface StopReport { event?: (ev: PodEvent) => void; error?: (err: unknown) => void }

/** Stops the given live containers of one pod (see the file comment for the order). */
export async function stopContainers(cri: CriClient, live: RuntimeContainer[], graceSeconds: number,
  report: StopReport = {}, plan: StopPlan = {}): Promise<void> {
  const deadline = Date.now() + graceSeconds * 1000;
  const remaining = (): number => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  const sidecars = plan.sidecars ?? [];
  const rank = (c: RuntimeContainer): number => (c.kind === 'init' ? sidecars.indexOf(c.name) : -1);
  const done = new Map<RuntimeContainer, Promise<void>>();
  const stopOne = async (c: RuntimeContainer, waitFor: Array<Promise<void>>): Promise<void> => {
    report.event?.({ type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}`, fieldPath: fieldPath(c.kind, c.name) });
    if (plan.preStop && c.state === 'CONTAINER_RUNNING') await plan.preStop(c, remaining()).catch((err) => report.error?.(err));
    await Promise.all(waitFor);
    await cri.stopContainer(c.id, remaining()).catch((err) => report.error?.(err));
  };
  const regular = live.filter((c) => rank(c) < 0);
  for (const c of regular) done.set(c, stopOne(c, []));
  // Sidecars from the last to the first: each waits for the regular containers and the sidecars after it.
  const ordered = live.filter((c) => rank(c) >= 0).sort((a, b) => rank(b) - rank(a));
  const before: Array<Promise<void>> = [...done.values()];
  for (const c of ordered) {
    const p = stopOne(c, [...before]);
    done.set(c, p);
    before.push(p);
  }
  await Promise.all(done.values());
}

export async function stopPod(cri: CriClient, uid: string, graceSeconds: number, report: StopReport = {}, plan: StopPlan = {}): Promise<void> {
  const live = (await listPodContainers(cri, uid)).filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
  await stopContainers(cri, live, graceSeconds, report, plan);
  const boxes = await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' } });
  for (const b of boxes) await cri.stopPodSandbox(b.id).catch((err) => report.error?.(err));
}
