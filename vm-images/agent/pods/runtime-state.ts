// What the runtime knows about one pod: its sandbox and container instances, read through CRI.
import type { CriClient } from '../cri/client';
import type { ContainerState } from '../cri/types';
import { terminationMessage } from './termination-message';
import { ANN_CONTAINER_HASH, LABEL_CONTAINER_KIND, LABEL_CONTAINER_NAME, LABEL_MANAGED, LABEL_POD_UID } from './labels';

/** Which of a pod's container lists a container comes from. */
export type ContainerKind = 'init' | 'app' | 'ephemeral';

function kindOf(label: string | undefined): ContainerKind {
  return label === 'init' || label === 'ephemeral' ? label : 'app';
}

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  kind: ContainerKind;
  attempt: number;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  hash: string;
}

export function nsToMs(ns: string | number | undefined): number {
  if (ns === undefined || ns === '' || ns === '0' || ns === 0) return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

/** Every container instance of a pod (optionally only in one sandbox), with full status. */
export async function listPodContainers(cri: CriClient, uid: string, sandboxId?: string): Promise<RuntimeContainer[]> {
  const list = await cri.listContainers({ label_selector: { [LABEL_POD_UID]: uid, [LABEL_MANAGED]: 'true' }, ...(sandboxId ? { pod_sandbox_id: sandboxId } : {}) });
  const out: RuntimeContainer[] = [];
  for (const c of list) {
    try {
      const s = await cri.containerStatus(c.id);
      out.push({
        id: c.id,
        sandboxId: c.pod_sandbox_id,
        name: c.labels[LABEL_CONTAINER_NAME] ?? s.metadata?.name ?? '',
        kind: kindOf(c.labels[LABEL_CONTAINER_KIND]),
        attempt: s.metadata?.attempt ?? 0,
        state: s.state,
        createdAt: nsToMs(s.created_at),
        startedAt: nsToMs(s.started_at),
        finishedAt: nsToMs(s.finished_at),
        exitCode: s.exit_code,
        reason: s.reason,
        message: withTerminationMessage(s.state, s.message, s.annotations, s.exit_code, s.reason, s.log_path),
        image: s.image?.image ?? '',
        imageRef: s.image_ref,
        hash: s.annotations[ANN_CONTAINER_HASH] ?? '',
      });
    } catch {
      // removed between list and status: skip
    }
  }
  return out;
}

/** Instances of one container name, newest attempt first. */
export function instances(all: RuntimeContainer[], name: string, kind: ContainerKind): RuntimeContainer[] {
  return all.filter((c) => c.name === name && c.kind === kind).sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
}

/** The runtime's message, enriched with the exited container's termination message as the kubelet does. */
function withTerminationMessage(
  state: string, message: string, annotations: Record<string, string>, exitCode: number, reason: string, logPath: string,
): string {
  if (state !== 'CONTAINER_EXITED') return message;
  const tm = terminationMessage(annotations, exitCode, reason, logPath);
  return tm ? `${message ? `${message}: ` : ''}${tm}` : message;
}
