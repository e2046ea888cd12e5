// An attach that joined a container already gone. containerd's CRI Attach checks the container's state in its own
// store, which learns of an exit from its event monitor a moment after the task has gone: an attach in that window is
// accepted, joins output streams that are already closed, and ends with neither output nor error. The kubelet reports
// a PLEG-relisted Running a second after the start; this agent reports Running at once, so `kubectl run -i --rm -- cmd`
// attached inside the window about every other time and printed nothing. Told that the container is not running,
// kubectl falls back to the container's log, as it does when containerd's check sees the exit.
import type { CriClient } from '../cri/client';
import type { ContainerStatus } from '../cri/types';
import { pollUntil } from '../../../main/protocol/poll';
import { nsToMs } from '../pods/runtime-state';

/** How long after the streams closed the runtime may take to record the exit (its event monitor). */
const EXIT_RECORDED_MS = 1_000;

/** containerd's words when its check sees the state, wrapped as its streaming server wraps an attach error. */
export function attachExitedStatus(): Buffer {
  const cause = 'error attaching to container: container is in CONTAINER_EXITED state';
  return Buffer.from(JSON.stringify({
    metadata: {}, status: 'Failure', message: `Internal error occurred: ${cause}`, reason: 'InternalError', details: { causes: [{ message: cause }] }, code: 500,
  }));
}

/**
 * Whether the container had exited before `sinceMs` (when the attach's streams were joined): its runtime status, once
 * the runtime has recorded an exit after the attach's streams closed. Still running after that (it closed its own
 * output) or any error asking: false — the attach stands as it ended.
 */
export async function exitedBefore(cri: Pick<CriClient, 'containerStatus'>, id: string, sinceMs: number, recordedMs = EXIT_RECORDED_MS): Promise<boolean> {
  let st: ContainerStatus;
  try {
    st = await pollUntil(async () => {
      const s = await cri.containerStatus(id);
      return s.state === 'CONTAINER_RUNNING' || s.state === 'CONTAINER_CREATED' ? undefined : s;
    }, recordedMs, `container ${id} exited`);
  } catch {
    return false;
  }
  const finishedMs = nsToMs(st.finished_at);
  return st.state === 'CONTAINER_EXITED' && finishedMs > 0 && finishedMs <= sinceMs;
}
