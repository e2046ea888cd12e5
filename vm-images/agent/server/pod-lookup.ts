// Finds a pod this agent runs by namespace and name (the kubelet's URLs name pods, PodManager keys them by uid).
import { readdirSync } from 'node:fs';
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1';
import type { PodManager } from '../pods/manager';
import { parsePodLogDir } from '../pods/log-paths';

export interface FoundPod {
  uid: string;
  namespace: string;
  name: string;
  status: PodStatus | undefined;
}

export class PodLookup {
  private readonly byName = new Map<string, string>();
  private readonly dispose: () => void;

  constructor(private readonly pods: PodManager, private readonly logDir: string) {
    this.dispose = pods.on('status', (uid, _status, pod) => {
      this.byName.set(`${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`, uid);
    });
  }

  find(namespace: string, name: string): FoundPod | undefined {
    const key = `${namespace}/${name}`;
    const known = this.byName.get(key);
    const uids = new Set(this.pods.uids());
    if (known && uids.has(known)) return { uid: known, namespace, name, status: this.pods.status(known) };
    // Not seen through a status event (e.g. the server started after the pod was synced): its log directory names it.
    let dirs: string[] = [];
    try { dirs = readdirSync(this.logDir); } catch { dirs = []; }
    for (const d of dirs) {
      const p = parsePodLogDir(d);
      if (p && p.namespace === namespace && p.name === name && uids.has(p.uid)) {
        this.byName.set(key, p.uid);
        return { uid: p.uid, namespace, name, status: this.pods.status(p.uid) };
      }
    }
    return undefined;
  }

  close(): void {
    this.dispose();
  }
}

export function containerStatusOf(pod: FoundPod, container: string): ContainerStatus | undefined {
  const st = pod.status;
  return [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
}

/** The runtime id from a status containerID (`containerd://<id>`). */
export function runtimeId(containerID: string | undefined): string | undefined {
  if (!containerID) return undefined;
  const i = containerID.indexOf('://');
  return i >= 0 ? containerID.slice(i + 3) : containerID;
}
