// What a sandbox node's containerd runs, read over CRI from the host (as `crictl pods` / `crictl ps -a` on the node):
// the pod sandboxes and containers the agent made, with the pod UID each belongs to. The fault tests compare it
// with the API's pods: nothing leaked, nothing made twice, nothing restarted.
import { CriClient } from '../../../vm-images/agent/cri/client';
import { LABEL_MANAGED, LABEL_POD_NAME, LABEL_POD_UID } from '../../../vm-images/agent/pods/labels';
import { NODE } from '../../../main/nodes/node-paths';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';

export interface RuntimeSandbox { id: string; uid: string; pod: string; ready: boolean }
export interface RuntimeContainer { id: string; uid: string; pod: string; name: string; attempt: number; running: boolean; sandboxId: string }
export interface RuntimeInventory { sandboxes: RuntimeSandbox[]; containers: RuntimeContainer[] }

/** The node's containerd socket as seen from the host. */
export function containerdSocketOf(dataDir: string, node: string): string {
  const socket = hostPathOf(dataDir, node, NODE.containerdSocket);
  if (!socket) throw new Error(`${NODE.containerdSocket} is not under a per-node directory`);
  return socket;
}

/** The agent-made sandboxes and containers on the node, in any state. */
export async function runtimeInventory(dataDir: string, node: string): Promise<RuntimeInventory> {
  const cri = new CriClient(containerdSocketOf(dataDir, node), { timeoutMs: 10_000 });
  try {
    const managed = { [LABEL_MANAGED]: 'true' };
    const [boxes, ctrs] = await Promise.all([cri.listPodSandbox({ label_selector: managed }), cri.listContainers({ label_selector: managed })]);
    return {
      sandboxes: boxes.map((b) => ({ id: b.id, uid: b.labels[LABEL_POD_UID] ?? '', pod: b.labels[LABEL_POD_NAME] ?? '', ready: b.state === 'SANDBOX_READY' })),
      containers: ctrs.map((c) => ({
        id: c.id, uid: c.labels[LABEL_POD_UID] ?? '', pod: c.labels[LABEL_POD_NAME] ?? '', name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0,
        running: c.state === 'CONTAINER_RUNNING', sandboxId: c.pod_sandbox_id,
      })),
    };
  } finally {
    cri.close();
  }
}

/**
 * What is wrong with the runtime against the pods the API binds to this node (uid → name): a pod without exactly one
 * ready sandbox and one running container, or a ready sandbox / running container of no such pod (leaked). Empty when right.
 */
export function runtimeMismatches(inv: RuntimeInventory, pods: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [uid, name] of pods) {
    const boxes = inv.sandboxes.filter((b) => b.uid === uid && b.ready);
    const running = inv.containers.filter((c) => c.uid === uid && c.running);
    if (boxes.length !== 1) out.push(`pod ${name}: ${boxes.length} ready sandboxes`);
    if (running.length !== 1) out.push(`pod ${name}: ${running.length} running containers`);
  }
  for (const b of inv.sandboxes) if (b.ready && !pods.has(b.uid)) out.push(`leaked sandbox ${b.id.slice(0, 12)} of ${b.pod}`);
  for (const c of inv.containers) if (c.running && !pods.has(c.uid)) out.push(`leaked container ${c.id.slice(0, 12)} of ${c.pod}`);
  return out;
}
