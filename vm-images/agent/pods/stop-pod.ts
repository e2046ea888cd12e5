// Stops everything the runtime runs for a pod: SIGTERM to each container, SIGKILL after the grace period, then the sandboxes.
import type { CriClient } from '../cri/client';
import { fieldPath, type PodEvent } from './events';
import { LABEL_MANAGED, LABEL_POD_UID } from './labels';
import { listPodContainers } from './runtime-state';

export async function stopPod(cri: CriClient, uid: string, graceSeconds: number,
  report: { event?: (ev: PodEvent) => void; error?: (err: unknown) => void } = {}): Promise<void> {
  const live = (await listPodContainers(cri, uid)).filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
  for (const c of live) report.event?.({ type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}`, fieldPath: fieldPath(c.kind, c.name) });
  await Promise.all(live.map((c) => cri.stopContainer(c.id, graceSeconds).catch((err) => report.error?.(err))));
  const boxes = await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' } });
  for (const b of boxes) await cri.stopPodSandbox(b.id).catch((err) => report.error?.(err));
}
