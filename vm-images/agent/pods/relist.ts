// The kubelet's PLEG (pod lifecycle event generator): one relist of the runtime a second — every sandbox and
// container of ours with its state — compared with the last, and the pods whose sandboxes or containers
// appeared, changed state or vanished are synced at once. Pod workers then need no fast periodic pass of their
// own to notice a container exit or a dead sandbox; they resync slowly. Only runs while there are pods.
import type { CriClient } from '../cri/client';
import { LABEL_MANAGED, LABEL_POD_UID } from './labels';

export const RELIST_PERIOD_MS = 1000;

export interface RelistOptions {
  /** Pods whose runtime state changed since the last relist. */
  onChange: (uids: string[]) => void;
  onError?: (err: unknown) => void;
  periodMs?: number;
}

/** Each pod's sandboxes and containers as `id state` lines, sorted: equal when nothing the pod worker acts on changed. */
export function runtimeFingerprints(sandboxes: Array<{ id: string; state: string; labels: Record<string, string> }>,
  containers: Array<{ id: string; state: string; labels: Record<string, string> }>): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const x of [...sandboxes.map((s) => ({ ...s, kind: 's' })), ...containers.map((c) => ({ ...c, kind: 'c' }))]) {
    const uid = x.labels[LABEL_POD_UID];
    if (!uid) continue;
    let l = lines.get(uid);
    if (!l) { l = []; lines.set(uid, l); }
    l.push(`${x.kind} ${x.id} ${x.state}`);
  }
  return new Map([...lines].map(([uid, l]) => [uid, l.sort().join('\n')]));
}

/** The uids whose fingerprint differs between two relists (new, changed or gone). */
export function changedPods(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [uid, f] of after) if (before.get(uid) !== f) out.push(uid);
  for (const uid of before.keys()) if (!after.has(uid)) out.push(uid);
  return out;
}

export class RuntimeRelister {
  private last = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private stopped = false;
  /** The last relist's error, reported once until a relist succeeds (containerd restarting must not flood the log). */
  private failing = false;

  constructor(private readonly cri: CriClient, private readonly o: RelistOptions) {}

  /** Relists every period while `active` says there is something to watch (call again after it was false). */
  ensureRunning(active: () => boolean): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const tick = async (): Promise<void> => {
      if (this.stopped || !active()) {
        this.running = false;
        this.last = new Map();
        return;
      }
      try {
        await this.relist();
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.o.onError?.(err);
        this.failing = true;
      }
      if (this.stopped) { this.running = false; return; }
      this.timer = setTimeout(() => void tick(), this.o.periodMs ?? RELIST_PERIOD_MS);
    };
    this.timer = setTimeout(() => void tick(), this.o.periodMs ?? RELIST_PERIOD_MS);
  }

  /** One relist: the pods that changed since the last one are handed to onChange. */
  async relist(): Promise<void> {
    const selector = { label_selector: { [LABEL_MANAGED]: 'true' } };
    const [sandboxes, containers] = await Promise.all([this.cri.listPodSandbox(selector), this.cri.listContainers(selector)]);
    const now = runtimeFingerprints(sandboxes, containers);
    const changed = changedPods(this.last, now);
    this.last = now;
    if (changed.length) this.o.onChange(changed);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
