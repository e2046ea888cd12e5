// Removing a pod's old exited containers and their log files, as the kubelet's container GC does per pod.
import { rmSync } from 'node:fs';
import type { CriClient } from '../cri/client';
import { containerLogPath } from './log-paths';
import type { RuntimeContainer } from './runtime-state';

/** Keeps the newest two instances of each container (current and previous, for lastState and `logs --previous`). */
export async function removeOldContainers(cri: CriClient, logDir: string, pod: Parameters<typeof containerLogPath>[1], all: RuntimeContainer[]): Promise<void> {
  const seen = new Map<string, number>();
  const sorted = [...all].sort((a, b) => b.attempt - a.attempt);
  for (const c of sorted) {
    const k = `${c.kind}/${c.name}`;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (n <= 2 || c.state !== 'CONTAINER_EXITED') continue;
    await cri.removeContainer(c.id).catch(() => undefined);
    rmSync(containerLogPath(logDir, pod, c.name, c.attempt), { force: true });
  }
}
